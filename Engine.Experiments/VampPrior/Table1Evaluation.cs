using System.Diagnostics;
using Engine.Core;
using Engine.Models.Bounds;

namespace Engine.Experiments.VampPrior;

/// <summary>
/// The test numbers of a vampprior row: one-sample test ELBO and KL, and each evaluated image's
/// importance-sampled log p(x) (spec vae-and-priors §7). The images are taken with a stride because
/// the static-MNIST test file is sorted by digit.
/// </summary>
/// <param name="Images">The evaluated test images [Count, D].</param>
/// <param name="LogLikelihoods">log p̂(x) per evaluated image, nats.</param>
public sealed record Table1Evaluation(float[] Images, int Count, int Stride, double NegElbo, double Kl, double[] LogLikelihoods, int Samples, double Seconds)
{
    public const ulong ElboStream = 8;
    public const ulong IsStream = 9;

    public double MeanLogLikelihood => LogLikelihoods.Average();

    public static Table1Evaluation Run(Table1Model model, Table1Data data, VampPriorTable1Settings s, Rng rng, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var testCount = data.Test.Length / data.Dim;
        var count = Math.Min(testCount, s.TestImages);
        var stride = testCount / count;
        var test = Enumerable.Range(0, count).SelectMany(i => data.Test.AsSpan(i * stride * data.Dim, data.Dim).ToArray()).ToArray();
        var (negElbo, kl) = Table1Training.EvaluateElbo(model, test, data.Dim, rng.Fork(ElboStream));
        var ll = new List<double>();
        for (var b = 0; b < count; b += 10)
        {
            if (cancellation.IsCancellationRequested)
            {
                throw new RunInterruptedException($"interrupted during the IS log-likelihood ({b}/{count} images); training is checkpointed, so rerunning with --resume only repeats the evaluation.");
            }

            using var scope = new TensorScope();
            var n = Math.Min(10, count - b);
            var x = Tensor.FromArray(test.AsSpan(b * data.Dim, n * data.Dim).ToArray(), n, data.Dim);
            // NOTE: every batch restarts the same stream (as the loop this came from); fine for an unbiased estimate.
            ll.AddRange(ImportanceSampling.LogLikelihood(model.LogWeights, x, rng.Fork(IsStream), s.IsNllSamples, chunk: Math.Min(100, s.IsNllSamples)));
        }

        return new(test, count, stride, negElbo, kl, ll.ToArray(), s.IsNllSamples, clock.Elapsed.TotalSeconds);
    }
}
