using Engine.Core;

namespace Engine.Experiments.Data.Synthetic;

/// <summary>One clustering task: points [N, 2] and their component labels (0/1).</summary>
public sealed record MixtureTask(double[] Means, double[] Points, int[] Labels)
{
    public int Count => Labels.Length;
}

/// <summary>
/// The MetaVAE clustering demo's meta-distribution (spec metavae §9.1): each task is an equal-weight
/// mixture of two 2-D Gaussians with covariance 0.1·I and means ~ U(−5, 5)². Seeded through the
/// engine's counter-based generator, so task k is the same whatever else is drawn.
/// </summary>
public static class GaussianMixtureTasks
{
    public const double Variance = 0.1;

    public static MixtureTask Sample(Rng rng, int points)
    {
        var means = Enumerable.Range(0, 4).Select(_ => -5 + 10 * rng.NextDouble()).ToArray();
        var xs = new double[points * 2];
        var labels = new int[points];
        var std = Math.Sqrt(Variance);
        for (var i = 0; i < points; i++)
        {
            var k = rng.NextDouble() < 0.5 ? 0 : 1;
            labels[i] = k;
            xs[2 * i] = means[2 * k] + std * rng.NextNormal();
            xs[2 * i + 1] = means[2 * k + 1] + std * rng.NextNormal();
        }

        return new MixtureTask(means, xs, labels);
    }

    /// <summary>Misassignment rate under the better of the two label permutations.</summary>
    public static double ClusterError(int[] predicted, int[] labels)
    {
        var wrong = predicted.Zip(labels, (p, l) => p != l ? 1 : 0).Sum();
        return Math.Min(wrong, labels.Length - wrong) / (double)labels.Length;
    }
}
