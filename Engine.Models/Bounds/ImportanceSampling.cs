using Engine.Core;
using Engine.Models.Vae;

namespace Engine.Models.Bounds;

/// <summary>
/// Importance-sampled log-likelihood (spec vae-and-priors §7): log p̂(x) = LSE_s log w_s − log S with
/// z_s ~ q(z|x). Samples are drawn in chunks so memory stays bounded; all S log-weights of a datum
/// are collected and reduced once, in double precision.
/// </summary>
public static class ImportanceSampling
{
    /// <summary>log p̂(x_b) for each row of x [B, D]. Runs without recording; chunk = samples per pass.</summary>
    public static double[] LogLikelihood(VariationalAutoencoder model, Tensor x, Rng rng, int samples, int chunk = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (model.Flow is not null)
        {
            return LogLikelihood(model.LogWeights, x, rng, samples, chunk);
        }

        using var noGrad = Tape.NoGrad();
        using var scope = new TensorScope();
        var (mu, logvar) = model.Encoder.Encode(x);
        var batch = x.Shape[0];
        var logw = new double[batch * samples];
        for (var start = 0; start < samples; start += chunk)
        {
            using var chunkScope = new TensorScope();
            var s = Math.Min(chunk, samples - start);
            var values = model.LogWeights(x, mu, logvar, rng, s).ToDoubleArray(); // [B, s]
            for (var b = 0; b < batch; b++)
            {
                Array.Copy(values, b * s, logw, b * samples + start, s);
            }
        }

        return Enumerable.Range(0, batch).Select(b => LogMeanExp(logw.AsSpan(b * samples, samples))).ToArray();
    }

    /// <summary>
    /// The same estimator for any model that gives log-weights [B, s] for s fresh samples (e.g. the
    /// two-level HVAE); the encoder runs once per chunk.
    /// </summary>
    public static double[] LogLikelihood(Func<Tensor, Rng, int, Tensor> logWeights, Tensor x, Rng rng, int samples, int chunk = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        using var noGrad = Tape.NoGrad();
        var batch = x.Shape[0];
        var logw = new double[batch * samples];
        for (var start = 0; start < samples; start += chunk)
        {
            using var chunkScope = new TensorScope();
            var s = Math.Min(chunk, samples - start);
            var values = logWeights(x, rng, s).ToDoubleArray();
            for (var b = 0; b < batch; b++)
            {
                Array.Copy(values, b * s, logw, b * samples + start, s);
            }
        }

        return Enumerable.Range(0, batch).Select(b => LogMeanExp(logw.AsSpan(b * samples, samples))).ToArray();
    }

    /// <summary>log (1/n) Σ exp(v) with the max shift, in double.</summary>
    public static double LogMeanExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        if (!double.IsFinite(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum / values.Length);
    }
}
