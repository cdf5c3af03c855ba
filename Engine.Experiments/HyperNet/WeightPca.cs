using MathNet.Numerics.LinearAlgebra;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// Principal components of a few hundred samples in a high dimension (spec hypernetwork §4.4,
/// Fig. 6): the eigen-decomposition of the centred Gram matrix X·Xᵀ [n × n] (MathNet) instead of the
/// d × d covariance — with n ≪ d (200 nets × 20,018 weights) it gives the same scores.
/// </summary>
public static class WeightPca
{
    /// <summary>Scores [n][k] of each sample on the first k components and each component's share of the total variance.</summary>
    public static (double[][] Scores, double[] ExplainedRatio) Compute(IReadOnlyList<double[]> samples, int components)
    {
        var n = samples.Count;
        if (n < 2 || components < 1 || components > n)
        {
            throw new ArgumentException($"WeightPca: need ≥ 2 samples and 1 ≤ components ≤ samples; got {n} samples, {components} components.");
        }

        var d = samples[0].Length;
        var mean = new double[d];
        foreach (var s in samples)
        {
            for (var j = 0; j < d; j++)
            {
                mean[j] += s[j] / n;
            }
        }

        var gram = Matrix<double>.Build.Dense(n, n);
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                var dot = 0.0;
                for (var j = 0; j < d; j++)
                {
                    dot += (samples[a][j] - mean[j]) * (samples[b][j] - mean[j]);
                }

                gram[a, b] = dot;
                gram[b, a] = dot;
            }
        }

        // Gram = U Λ Uᵀ; the score of sample i on component k is √λ_k · U[i, k].
        var evd = gram.Evd(Symmetricity.Symmetric);
        var eigenvalues = evd.EigenValues.Select(e => Math.Max(0, e.Real)).ToArray();
        var order = Enumerable.Range(0, n).OrderByDescending(i => eigenvalues[i]).ToArray();
        var total = eigenvalues.Sum();
        var scores = new double[n][];
        for (var i = 0; i < n; i++)
        {
            scores[i] = [.. order.Take(components).Select(k => Math.Sqrt(eigenvalues[k]) * evd.EigenVectors[i, k])];
        }

        return (scores, [.. order.Take(components).Select(k => total > 0 ? eigenvalues[k] / total : 0)]);
    }
}
