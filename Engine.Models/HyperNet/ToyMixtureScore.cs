using Engine.Core;

namespace Engine.Models.HyperNet;

/// <summary>
/// The toy problem's target (spec hypernetwork §5, Fig. 1): a 10-peak 2-D "Gaussian mixture" score
/// f(y) = Σ_k p_k · 2π s_k² · exp(−‖y − μ_k‖² / (2 s_k²)) with μ_k ~ U(−5, 5)², s_k ~ U(1.0, 1.1) and
/// p_k ∝ U(1, 3), drawn from our Rng (the reference's numpy seed 69319 cannot be replayed here).
/// </summary>
public sealed class ToyMixtureScore
{
    public ToyMixtureScore(Rng rng, int peaks = 10)
    {
        Means = [.. Enumerable.Range(0, peaks).Select(_ => new[] { rng.NextDouble() * 10 - 5, rng.NextDouble() * 10 - 5 })];
        Widths = [.. Enumerable.Range(0, peaks).Select(_ => 1.0 + 0.1 * rng.NextDouble())];
        var raw = Enumerable.Range(0, peaks).Select(_ => 1 + 2 * rng.NextDouble()).ToArray();
        Weights = [.. raw.Select(p => p / raw.Sum())];
    }

    public double[][] Means { get; }

    public double[] Widths { get; }

    public double[] Weights { get; }

    /// <summary>f(y) for points y [B, 2] → [B], differentiable in y.</summary>
    public Tensor Forward(Tensor y)
    {
        if (y.Rank != 2 || y.Shape[1] != 2)
        {
            throw new ArgumentException($"ToyMixtureScore: points {y.Shape} must be [B, 2].");
        }

        Tensor? total = null;
        for (var k = 0; k < Means.Length; k++)
        {
            var centre = Tensor.FromArray(Means[k], 1, 2).To(y.DType);
            var squared = Ops.Sum(Ops.Square(Ops.Sub(y, centre)), 1);
            var peak = Ops.Affine(Ops.Exp(Ops.Affine(squared, -1 / (2 * Widths[k] * Widths[k]))), Weights[k] * 2 * Math.PI * Widths[k] * Widths[k]);
            total = total is null ? peak : Ops.Add(total, peak);
        }

        return total!;
    }

    /// <summary>f at one point (plain arithmetic, for analyses).</summary>
    public double At(double x, double y) =>
        Enumerable.Range(0, Means.Length).Sum(k =>
            Weights[k] * 2 * Math.PI * Widths[k] * Widths[k] * Math.Exp(-(Math.Pow(x - Means[k][0], 2) + Math.Pow(y - Means[k][1], 2)) / (2 * Widths[k] * Widths[k])));
}
