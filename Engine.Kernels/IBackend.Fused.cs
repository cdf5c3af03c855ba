namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>
    /// Reparameterised sampling for S samples per datum: z[s,b,d] = μ[b,d] + exp(½·logvar[b,d])·ε[s,b,d]
    /// with μ, logvar [B, D] and ε, z [S, B, D].
    /// </summary>
    void Reparameterize(BufferView mu, BufferView logvar, BufferView eps, BufferView z, int samples, int rowsTimesCols);

    /// <summary>
    /// VJP of <see cref="Reparameterize"/>: dμ = Σ_s dz, dlogvar = Σ_s dz ⊙ ε ⊙ ½exp(½·logvar).
    /// Either output may be null when not needed.
    /// </summary>
    void ReparameterizeBackward(BufferView logvar, BufferView eps, BufferView dz, BufferView? dmu, BufferView? dlogvar, int samples, int rowsTimesCols);

    /// <summary>
    /// Importance weighting over log-weights [B, S]: lme[b] = log (1/S) Σ_s exp(logw[b,s]) and
    /// weights[b,s] = softmax_s(logw[b,·]), the normalised weights the IWAE gradient uses.
    /// </summary>
    void LogMeanExpWeights(BufferView logw, BufferView lme, BufferView weights, int rows, int samples);

    /// <summary>
    /// Bernoulli log-likelihood from logits, stably: ll[r] = Σ_c x·l − softplus(l) over [rows, cols],
    /// for targets x in [0, 1] (x broadcasts over a leading sample axis when xRows &lt; rows).
    /// </summary>
    void BernoulliLogLikelihood(BufferView logits, BufferView x, BufferView ll, int rows, int cols, int xRows);

    /// <summary>dlogits[r, c] = dll[r]·(x − σ(l)) (targets need no gradient).</summary>
    void BernoulliLogLikelihoodBackward(BufferView logits, BufferView x, BufferView dll, BufferView dlogits, int rows, int cols, int xRows);
}
