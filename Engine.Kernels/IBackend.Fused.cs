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

    /// <summary>
    /// Diagonal Gaussian log-density summed over the last axis: ll[r] = −½ Σ_c [(x[r,c] − μ[p,c])²·e^{−logvar[p,c]} +
    /// logvar[p,c] + log 2π] for x [rows, cols] and parameters [paramRows, cols] with p = r mod paramRows (the
    /// parameters broadcast over a leading sample axis). μ and logvar both null: the standard normal.
    /// </summary>
    void GaussianLogDensity(BufferView x, BufferView? mu, BufferView? logvar, BufferView ll, int rows, int cols, int paramRows);

    /// <summary>
    /// VJP of <see cref="GaussianLogDensity"/>: dx = −dll·(x − μ)e^{−logvar}; dμ[p] = Σ_{r ≡ p} dll·(x − μ)e^{−logvar};
    /// dlogvar[p] = Σ_{r ≡ p} ½dll·((x − μ)²e^{−logvar} − 1), each sum over r in increasing order. Outputs are
    /// overwritten; any may be null (dμ and dlogvar must be for the standard normal).
    /// </summary>
    void GaussianLogDensityBackward(BufferView x, BufferView? mu, BufferView? logvar, BufferView dll, BufferView? dx, BufferView? dmu, BufferView? dlogvar, int rows, int cols, int paramRows);

    /// <summary>
    /// For each row i of x [n, dim]: distance[i] = min over j ≠ i of ‖x_i − x_j‖ (L1 when <paramref name="l1"/>, else
    /// Euclidean) and neighbour[i] = that j, the lowest on ties, stored as a value of x's element type (exact for
    /// n ≤ 2²⁴). n ≥ 2. The Kozachenko–Leonenko entropy estimate's neighbour search, on the device.
    /// </summary>
    void NearestNeighbours(BufferView x, int n, int dim, bool l1, BufferView distance, BufferView neighbour);

    /// <summary>
    /// dx += ∂(Σ_i dDistance[i]·distance[i])/∂x through the neighbours <see cref="NearestNeighbours"/> found: row i gains
    /// dDistance[i]·g and its neighbour loses it, g = sign(x_i − x_nb) for L1 (sign 0 = 0), (x_i − x_nb)/distance[i] for L2
    /// (0 at distance 0).
    /// </summary>
    void NearestNeighboursBackward(BufferView x, BufferView neighbour, BufferView distance, BufferView dDistance, BufferView dx, int n, int dim, bool l1);

    /// <summary>
    /// The matrix hyper-layer over all the targets of a network in one call: W_t = act_t(U_t·H·V_t + B_t) with H
    /// [inner, outer] shared. <paramref name="uh"/> receives U_t·H for each target in order (Σ_t Rows_t·outer values),
    /// which the backward reads.
    /// </summary>
    void HyperLayer(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh);

    /// <summary>
    /// VJP of <see cref="HyperLayer"/>: g_t = dW_t ⊙ act_t′ (read from W_t), dB_t = g_t, dV_t = (U_t·H)ᵀ·g_t,
    /// dU_t = (g_t·V_tᵀ)·Hᵀ and dH = Σ_t U_tᵀ·(g_t·V_tᵀ), summed over the targets in order (dH null: not wanted).
    /// <paramref name="scratch"/> holds at least max_t(Rows_t·Cols_t) + max_t(Rows_t·outer) values.
    /// </summary>
    void HyperLayerBackward(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh, HyperMatrixGradient[] gradients, BufferView? dh, BufferView scratch);
}
