using Engine.Core;
using MathNet.Numerics;

namespace Engine.Models.HyperNet;

/// <summary>
/// The Kozachenko–Leonenko nearest-neighbour entropy estimator (spec hypernetwork §3, App. E):
/// Ĥ = ψ(N) + (d/N) Σ_i log(ε_i + 1e-8) [+ −ψ(1) + log V_d], ε_i the distance from sample i to its
/// nearest other sample. The neighbour is found without a gradient (on the device, so the step can be captured); ε_i is
/// differentiable in both samples. The model drops the constant −ψ(1) + log V_d (it does not affect optimisation);
/// <see cref="EstimateWithConstants"/> keeps it so estimates can be checked against closed forms.
/// </summary>
public static class KozachenkoLeonenko
{
    /// <summary>The model's estimate for samples [N, D] with intrinsic dimension d (ψ from MathNet).</summary>
    public static Tensor Estimate(Tensor samples, int dimension, EntropyMetric metric)
    {
        var n = samples.Shape[0];
        if (n < 2)
        {
            throw new ArgumentException($"KozachenkoLeonenko: needs at least 2 samples, got {samples.Shape}.");
        }

        var distance = Ops.NearestNeighbourDistance(samples, metric == EntropyMetric.L1, out _);
        var logs = Ops.Log(Ops.Affine(distance, 1, 1e-8));
        return Ops.Affine(Ops.Mean(logs), dimension, SpecialFunctions.DiGamma(n));
    }

    /// <summary>The full estimator in nats: adds −ψ(1) + log V_d (unit ball of the metric in d dimensions).</summary>
    public static double EstimateWithConstants(Tensor samples, EntropyMetric metric)
    {
        var d = samples.Shape[1];
        var logVolume = metric == EntropyMetric.L2
            ? d / 2.0 * Math.Log(Math.PI) - SpecialFunctions.GammaLn(d / 2.0 + 1)
            : d * Math.Log(2) - SpecialFunctions.GammaLn(d + 1);
        using var noGrad = Tape.NoGrad();
        return Estimate(samples, d, metric).Item() - SpecialFunctions.DiGamma(1) + logVolume;
    }

    /// <summary>Index of each row of samples [N, D] to its nearest other row (ties to the lowest index), found on the device.</summary>
    public static int[] NearestNeighbours(Tensor samples, EntropyMetric metric)
    {
        using var noGrad = Tape.NoGrad();
        using var scope = new TensorScope();
        Ops.NearestNeighbourDistance(samples, metric == EntropyMetric.L1, out var neighbours);
        return Array.ConvertAll(neighbours.ToDoubleArray(), v => (int)v);
    }
}
