using Engine.Core;
using MathNet.Numerics;

namespace Engine.Models.HyperNet;

/// <summary>
/// The Kozachenko–Leonenko nearest-neighbour entropy estimator (spec hypernetwork §3, App. E):
/// Ĥ = ψ(N) + (d/N) Σ_i log(ε_i + 1e-8) [+ −ψ(1) + log V_d], ε_i the distance from sample i to its
/// nearest other sample. The neighbour is found without a gradient; ε_i is differentiable in both
/// samples. The model drops the constant −ψ(1) + log V_d (it does not affect optimisation);
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

        var neighbours = NearestNeighbours(samples.ToDoubleArray(), n, samples.Shape[1], metric);
        var diff = Ops.Sub(samples, Ops.IndexSelect(samples, 0, neighbours));
        var distance = metric == EntropyMetric.L1 ? Ops.Sum(Ops.Abs(diff), 1) : Ops.Sqrt(Ops.Sum(Ops.Square(diff), 1));
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

    /// <summary>Index of each row's nearest other row (ties to the lowest index).</summary>
    public static int[] NearestNeighbours(double[] values, int n, int dim, EntropyMetric metric)
    {
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            var best = double.PositiveInfinity;
            for (var j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var d = 0.0;
                for (var k = 0; k < dim; k++)
                {
                    var diff = values[i * dim + k] - values[j * dim + k];
                    d += metric == EntropyMetric.L1 ? Math.Abs(diff) : diff * diff;
                }

                if (d < best)
                {
                    best = d;
                    result[i] = j;
                }
            }
        }

        return result;
    }
}
