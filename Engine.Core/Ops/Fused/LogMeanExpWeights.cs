namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// Batched importance weighting: from log-weights [B, S], lme[b] = log (1/S) Σ_s exp(logw[b,s])
    /// (max-shifted) and the normalised weights w̃[b,s] = softmax_s(logw[b,·]), returned through
    /// <paramref name="weights"/> (no gradient). VJP: dlogw = dlme ⊙ w̃ — the IWAE gradient.
    /// </summary>
    public static Tensor LogMeanExpWeights(Tensor logw, out Tensor weights)
    {
        CheckRank("log_mean_exp_weights", logw, 2, "log-weights [B, S]");
        int rows = logw.Shape[0], samples = logw.Shape[1];
        if (samples == 0)
        {
            throw new ArgumentException($"log_mean_exp_weights: no samples in {logw.Shape}.");
        }

        var lme = Tensor.Empty(new Shape(rows), logw.DType, logw.Backend);
        var w = logw.EmptyLike();
        logw.Backend.LogMeanExpWeights(logw.View, lme.View, w.View, rows, samples);
        Tape.Record("log_mean_exp_weights", lme, [logw], dlme => logw.AccumulateGrad(Mul(Reshape(dlme, rows, 1), w)));
        weights = w.Detach();
        return lme;
    }
}
