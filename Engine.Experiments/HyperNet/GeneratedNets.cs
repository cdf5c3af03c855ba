using Engine.Core;
using Engine.Experiments.Data;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>Scoring generated MNIST nets: logits, predictions, majority votes and accuracies (no gradients).</summary>
public static class GeneratedNets
{
    private const int Chunk = 500;

    /// <summary>Logits [count·10] of one net (weights with N = 1) on every image, in chunks of 500.</summary>
    public static float[] Logits(TargetWeights net, ImageSet images)
    {
        if (net.Count != 1)
        {
            throw new ArgumentException($"GeneratedNets.Logits: expected one net, got {net.Count}.");
        }

        using var noGrad = Tape.NoGrad();
        var result = new float[images.Count * 10];
        for (var start = 0; start < images.Count; start += Chunk)
        {
            using var scope = new TensorScope();
            var n = Math.Min(Chunk, images.Count - start);
            var x = Tensor.FromArray(images.Pixels.AsSpan(start * 784, n * 784).ToArray(), 1, n, 784);
            MnistTargetNetwork.Forward(net, x).ToFloatArray().CopyTo(result, start * 10);
        }

        return result;
    }

    public static int[] Predict(TargetWeights net, ImageSet images) => ArgMaxRows(Logits(net, images), 10);

    /// <summary>Row-wise arg-max of a [rows, classes] array (ties to the lower class).</summary>
    public static int[] ArgMaxRows(float[] values, int classes)
    {
        var result = new int[values.Length / classes];
        for (var r = 0; r < result.Length; r++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                if (values[r * classes + k] > values[r * classes + best])
                {
                    best = k;
                }
            }

            result[r] = best;
        }

        return result;
    }

    /// <summary>The most frequent class per image across nets; ties go to the lower class (as scipy's mode, which the reference uses).</summary>
    public static int[] MajorityVote(IReadOnlyList<int[]> votes)
    {
        var result = new int[votes[0].Length];
        Span<int> counts = stackalloc int[10];
        for (var i = 0; i < result.Length; i++)
        {
            counts.Clear();
            foreach (var v in votes)
            {
                counts[v[i]]++;
            }

            var best = 0;
            for (var k = 1; k < 10; k++)
            {
                best = counts[k] > counts[best] ? k : best;
            }

            result[i] = best;
        }

        return result;
    }

    public static double Accuracy(int[] predicted, byte[] labels)
    {
        var correct = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }

        return (double)correct / predicted.Length;
    }

    /// <summary>Generates <paramref name="count"/> nets from fresh noise in batches of 10 (evaluation mode) and passes each one, gauge-fixed, to <paramref name="visit"/>.</summary>
    public static void ForEach(MnistHyperNetwork model, int count, Rng rng, Action<int, TargetWeights> visit)
    {
        using var noGrad = Tape.NoGrad();
        for (var start = 0; start < count; start += 10)
        {
            using var scope = new TensorScope();
            var n = Math.Min(10, count - start);
            var nets = model.Generate(model.SampleNoise(n, rng));
            for (var k = 0; k < n; k++)
            {
                visit(start + k, nets.Single(k));
            }
        }
    }
}
