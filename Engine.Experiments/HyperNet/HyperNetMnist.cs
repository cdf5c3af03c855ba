using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// hypernet/mnist (Deutsch et al., seed 004, spec hypernetwork §4): trains the MNIST hypernetwork
/// (λ·CE − Ĥ with gauge fixing and the L1 Kozachenko–Leonenko entropy; every generated net sees its
/// own 32 training images), then evaluates generated nets one by one (mean/std/min/max accuracy) and
/// majority-vote ensembles of them beside the paper's 99.14 %.
/// </summary>
public sealed class HyperNetMnist : IExperiment
{
    public const double PaperEnsembleAccuracy = 99.14;

    public ExperimentResult Run(RunContext context)
    {
        var s = HyperNetMnistSettings.For(context.Preset);
        var log = context.Log;
        var options = new HyperNetOptions(Lambda: s.Lambda);
        var result = new ExperimentResult { Config = new { Settings = s, Model = options } };
        var folder = context.Data.Find(Mnist.Info);
        result.Data[Mnist.Info.Name] = folder;
        var (trainFile, testFile) = Mnist.Load(folder);
        // The reference's TF reader: validation = the first 5,000 training images, train = the rest.
        var train = trainFile.Slice(5_000, trainFile.Count - 5_000);
        var test = testFile.Take(s.EvaluationImages);

        var rng = context.CreateRng();
        var model = new MnistHyperNetwork(options, rng.Fork(1));
        var optimizer = new Adam(model.Parameters(), new AdamOptions(s.LearningRate));
        var draws = rng.Fork(2);
        var clock = Stopwatch.StartNew();
        for (var step = 1; step <= s.Steps; step++)
        {
            var n = s.NoiseBatch * s.ImagesPerNet;
            var indices = Enumerable.Range(0, n).Select(_ => draws.NextInt(train.Count)).ToArray();
            var pixels = new float[n * 784];
            for (var i = 0; i < n; i++)
            {
                train.Row(indices[i]).CopyTo(pixels.AsSpan(i * 784, 784));
            }

            var labels = indices.Select(i => (int)train.Labels[i]).ToArray();
            using var tape = new Tape();
            var z = model.SampleNoise(s.NoiseBatch, draws);
            var terms = model.Loss(z, Tensor.FromArray(pixels, s.NoiseBatch, s.ImagesPerNet, 784), labels);
            optimizer.ZeroGrad();
            tape.Backward(terms.Loss);
            optimizer.Step();
            optimizer.LearningRate *= s.LearningRateDecay;
            var loss = terms.Loss.Item();
            if (!double.IsFinite(loss))
            {
                throw new ExperimentException($"hypernet/mnist: loss {loss} at step {step}.");
            }

            if (step % Math.Max(1, s.Steps / 10) == 0 || step == s.Steps)
            {
                log.Line($"step {step}/{s.Steps}: loss {loss:F2}, cross-entropy {terms.CrossEntropy.Item():F4}, entropy {terms.Entropy.Item():F1}, batch accuracy {100 * terms.Accuracy:F1} % ({ProgressLog.Duration(clock.Elapsed.TotalSeconds)})");
            }
        }

        result.Add("train_seconds", clock.Elapsed.TotalSeconds, "s", "training time");
        Evaluate(model, test, s, rng.Fork(3), result, log);
        result.Notes.Add($"{s.Preset} preset: {s.Steps} steps (the paper: 13,000), λ = {s.Lambda}, {s.NoiseBatch} nets × {s.ImagesPerNet} images per step, Adam lr {s.LearningRate} × {s.LearningRateDecay}ᵗ; "
            + $"{s.EvaluatedNets} generated nets and {s.Ensembles} ensembles of {s.EnsembleSize} scored on the first {test.Count} test images (the paper: 20 × 200 on all 10,000).");
        return result;
    }

    private static void Evaluate(MnistHyperNetwork model, ImageSet test, HyperNetMnistSettings s, Rng rng, ExperimentResult result, ProgressLog log)
    {
        using var noGrad = Tape.NoGrad();
        model.Eval(); // batch norm on running statistics
        var nets = s.Ensembles * s.EnsembleSize;
        var total = Math.Max(nets, s.EvaluatedNets);
        var predictions = new int[total][];
        for (var k = 0; k < total; k++)
        {
            using var scope = new TensorScope();
            var weights = model.Generate(model.SampleNoise(1, rng));
            predictions[k] = Predict(weights, test);
        }

        var accuracies = predictions.Take(s.EvaluatedNets).Select(p => Accuracy(p, test.Labels)).ToArray();
        var mean = accuracies.Average();
        var std = Math.Sqrt(accuracies.Select(a => (a - mean) * (a - mean)).Average());
        var ensembles = Enumerable.Range(0, s.Ensembles)
            .Select(e => Accuracy(MajorityVote(predictions.Skip(e * s.EnsembleSize).Take(s.EnsembleSize).ToArray()), test.Labels))
            .ToArray();
        result.Add("net_accuracy_mean", 100 * mean, "%", $"mean test accuracy of {accuracies.Length} generated nets");
        result.Add("net_accuracy_std", 100 * std, "%", "standard deviation across nets");
        result.Add("net_accuracy_min", 100 * accuracies.Min(), "%", "worst generated net");
        result.Add("net_accuracy_max", 100 * accuracies.Max(), "%", "best generated net");
        result.Add("ensemble_accuracy", 100 * ensembles.Average(), "%", $"majority vote of {s.EnsembleSize} nets, mean of {s.Ensembles} ensembles; paper {PaperEnsembleAccuracy} %");
        log.Line($"generated nets: {100 * mean:F2} ± {100 * std:F2} % (min {100 * accuracies.Min():F2}, max {100 * accuracies.Max():F2}); ensembles of {s.EnsembleSize}: {100 * ensembles.Average():F2} % (paper {PaperEnsembleAccuracy} %)");
    }

    /// <summary>Class predictions of one generated net (weights with N = 1) on every image, in chunks of 500.</summary>
    private static int[] Predict(TargetWeights weights, ImageSet images)
    {
        var result = new int[images.Count];
        for (var start = 0; start < images.Count; start += 500)
        {
            using var scope = new TensorScope();
            var n = Math.Min(500, images.Count - start);
            var x = Tensor.FromArray(images.Pixels.AsSpan(start * 784, n * 784).ToArray(), 1, n, 784);
            var logits = MnistTargetNetwork.Forward(weights, x).ToFloatArray();
            for (var i = 0; i < n; i++)
            {
                var best = 0;
                for (var c = 1; c < 10; c++)
                {
                    if (logits[i * 10 + c] > logits[i * 10 + best])
                    {
                        best = c;
                    }
                }

                result[start + i] = best;
            }
        }

        return result;
    }

    private static int[] MajorityVote(int[][] votes) =>
        Enumerable.Range(0, votes[0].Length)
            .Select(i => votes.Select(v => v[i]).GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key)
            .ToArray();

    private static double Accuracy(int[] predicted, byte[] labels) => predicted.Where((p, i) => p == labels[i]).Count() / (double)predicted.Length;
}
