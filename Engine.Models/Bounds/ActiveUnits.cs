using Engine.Core;

namespace Engine.Models.Bounds;

/// <summary>
/// Active latent units (Burda et al. 2016 §5.2): unit m is active if Var_x(E_{q(z|x)}[z_m]) &gt; 0.01,
/// the variance over a data set of the posterior means.
/// </summary>
public static class ActiveUnits
{
    public const double Threshold = 0.01;

    /// <summary>Counts active units from posterior means [N, M] (rows are data points).</summary>
    public static int Count(double[] means, int latents, double threshold = Threshold) =>
        Variances(means, latents).Count(v => v > threshold);

    /// <summary>Per-unit variance of the posterior means (population variance over the N rows).</summary>
    public static double[] Variances(double[] means, int latents)
    {
        var n = means.Length / latents;
        var result = new double[latents];
        for (var m = 0; m < latents; m++)
        {
            var mean = 0.0;
            for (var i = 0; i < n; i++)
            {
                mean += means[i * latents + m];
            }

            mean /= n;
            var variance = 0.0;
            for (var i = 0; i < n; i++)
            {
                var d = means[i * latents + m] - mean;
                variance += d * d;
            }

            result[m] = variance / n;
        }

        return result;
    }
}
