// The design's fused kernels: one pass over memory where the op-by-op route would take several.

// z[s, i] = μ[i] + exp(½·logvar[i])·ε[s, i] for S samples over L = B·D entries.
__kernel void reparameterize(__global const real* mu, int muo, __global const real* logvar, int lvo,
                             __global const real* eps, int eo, __global real* z, int zo, int samples, int length)
{
    int e = get_global_id(0);
    if (e >= samples * length) {
        return;
    }
    int i = e % length;
    real std = exp((real)0.5f * logvar[lvo + i]);
    z[zo + e] = mu[muo + i] + std * eps[eo + e];
}

// dμ[i] = Σ_s dz[s, i]; dlogvar[i] = (Σ_s dz[s, i]·ε[s, i]) · ½exp(½·logvar[i]); s ascending.
// has_mu / has_logvar say which outputs are wanted (the other buffer argument is a placeholder).
__kernel void reparameterize_backward(__global const real* logvar, int lvo, __global const real* eps, int eo,
                                      __global const real* dz, int dzo, __global real* dmu, int dmo, int has_mu,
                                      __global real* dlogvar, int dlo, int has_logvar, int samples, int length)
{
    int i = get_global_id(0);
    if (i >= length) {
        return;
    }
    real half_std = (real)0.5f * exp((real)0.5f * logvar[lvo + i]);
    real sum_dz = (real)0, sum_dz_eps = (real)0;
    for (int s = 0; s < samples; s++) {
        real g = dz[dzo + s * length + i];
        sum_dz += g;
        sum_dz_eps += g * eps[eo + s * length + i];
    }
    if (has_mu) {
        dmu[dmo + i] = sum_dz;
    }
    if (has_logvar) {
        dlogvar[dlo + i] = sum_dz_eps * half_std;
    }
}

// One work-group per row b of logw [B, S]: lse = m + log Σ_s exp(logw[b, s] − m), m = max_s logw[b, s];
// lme[b] = lse − log S; weights[b, s] = exp(logw[b, s] − lse) (all 0 when lse is not finite).
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void log_mean_exp_weights(__global const real* logw, int lo, __global real* lme, int mo, __global real* weights, int wo, int samples)
{
    __local real scratch[LANES];
    int b = get_group_id(0), lane = get_local_id(0);
    __global const real* row = logw + lo + (long)b * samples;
    real m = -INFINITY;
    for (int s = lane; s < samples; s += LANES) {
        m = max_nan(m, row[s]);
    }
    real lse = group_reduce(scratch, m, 1);
    if (isfinite(lse)) {
        real sum = (real)0;
        for (int s = lane; s < samples; s += LANES) {
            sum += exp(row[s] - lse);
        }
        lse = lse + log(group_reduce(scratch, sum, 0));
    }
    if (lane == 0) {
        lme[mo + b] = lse - log((real)samples);
    }
    for (int s = lane; s < samples; s += LANES) {
        weights[wo + (long)b * samples + s] = isfinite(lse) ? exp(row[s] - lse) : (real)0;
    }
}

// One work-group per row r of logits [rows, cols]: ll[r] = Σ_c x·l − softplus(l), with
// x = targets[r mod xRows, c] (targets broadcast over a leading sample axis).
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void bernoulli_log_likelihood(__global const real* logits, int lgo, __global const real* x, int xo, __global real* ll, int llo,
                              int cols, int xRows)
{
    __local real scratch[LANES];
    int r = get_group_id(0), lane = get_local_id(0);
    __global const real* l = logits + lgo + (long)r * cols;
    __global const real* t = x + xo + (long)(r % xRows) * cols;
    real s = (real)0;
    for (int c = lane; c < cols; c += LANES) {
        s += t[c] * l[c] - softplus_r(l[c]);
    }
    s = group_reduce(scratch, s, 0);
    if (lane == 0) {
        ll[llo + r] = s;
    }
}

// dlogits[r, c] = dll[r] · (x[r mod xRows, c] − σ(l[r, c])).
__kernel void bernoulli_log_likelihood_backward(__global const real* logits, int lgo, __global const real* x, int xo,
                                                __global const real* dll, int dllo, __global real* dlogits, int dlo,
                                                int rows, int cols, int xRows)
{
    int e = get_global_id(0);
    if (e >= rows * cols) {
        return;
    }
    int r = e / cols, c = e % cols;
    dlogits[dlo + e] = dll[dllo + r] * (x[xo + (r % xRows) * cols + c] - sigmoid_r(logits[lgo + e]));
}

// One work-group per row r of x [rows, cols]: ll[r] = −½ Σ_c [(x − μ)²e^{−logvar} + logvar + log 2π] with the parameters of
// row r mod paramRows, or of the standard normal (μ = 0, logvar = 0) when hasParams is 0.
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void gaussian_log_density(__global const real* x, int xo, __global const real* mu, int mo, __global const real* logvar, int vo,
                          int hasParams, __global real* ll, int llo, int cols, int paramRows)
{
    __local real scratch[LANES];
    int r = get_group_id(0), lane = get_local_id(0);
    __global const real* xr = x + xo + (long)r * cols;
    long p = (long)(r % paramRows) * cols;
    real s = (real)0;
    for (int c = lane; c < cols; c += LANES) {
        if (hasParams) {
            real d = xr[c] - mu[mo + p + c], lv = logvar[vo + p + c];
            s += d * d * exp(-lv) + lv;
        } else {
            s += xr[c] * xr[c];
        }
    }
    s = group_reduce(scratch, s, 0);
    if (lane == 0) {
        ll[llo + r] = (real)-0.5 * (s + (real)cols * (real)1.8378770664093454836); // log 2π
    }
}

// One work-item per parameter element (p, c), summing over the rows r ≡ p (mod paramRows) in increasing order:
// dx[r, c] = −dll[r]·w, dμ[p, c] = Σ dll[r]·w, dlogvar[p, c] = Σ ½dll[r]·(d·w − 1) with d = x − μ, w = d·e^{−logvar}.
// The standard normal (hasParams 0) is called with paramRows = rows, so each work-item writes one dx.
__kernel void gaussian_log_density_backward(__global const real* x, int xo, __global const real* mu, int mo,
                                            __global const real* logvar, int vo, int hasParams, __global const real* dll, int dllo,
                                            __global real* dx, int dxo, int hasDx, __global real* dmu, int dmo, int hasDmu,
                                            __global real* dlogvar, int dvo, int hasDlogvar, int rows, int cols, int paramRows)
{
    int e = get_global_id(0);
    if (e >= paramRows * cols) {
        return;
    }
    int p = e / cols, c = e % cols;
    real m = hasParams ? mu[mo + e] : (real)0;
    real inverse = hasParams ? exp(-logvar[vo + e]) : (real)1;
    real gm = (real)0, gv = (real)0;
    for (int r = p; r < rows; r += paramRows) {
        real g = dll[dllo + r];
        real d = x[xo + (long)r * cols + c] - m;
        real w = d * inverse;
        if (hasDx) {
            dx[dxo + (long)r * cols + c] = -g * w;
        }
        gm += g * w;
        gv += (real)0.5 * g * (d * w - (real)1);
    }
    if (hasDmu) {
        dmu[dmo + e] = gm;
    }
    if (hasDlogvar) {
        dlogvar[dvo + e] = gv;
    }
}

// y[r, c] = act(y[r, c] + bias[c]; alpha) in place: the tail of a fused linear layer.
__kernel void bias_activation(__global real* y, int yo, __global const real* bias, int bo, int rows, int cols, int act, real alpha)
{
    int e = get_global_id(0);
    if (e < rows * cols) {
        y[yo + e] = unary_f(act, y[yo + e] + bias[bo + e % cols], alpha, (real)0);
    }
}

// One work-group per row i of x [n, dim]: distance[i] = min over j != i of ||x_i - x_j|| (L1 or Euclidean),
// neighbour[i] = that j as a real (the lowest j on ties; the first candidate is taken as it is, so NaN reaches the output).
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void nearest_neighbours(__global const real* x, int xo, int n, int dim, int l1, __global real* distance, int dso, __global real* neighbour, int nbo)
{
    __local real scratch[LANES];
    int i = get_group_id(0), lane = get_local_id(0);
    __global const real* row = x + xo + (long)i * dim;
    real best = (real)0;
    int index = -1;
    for (int j = 0; j < n; j++) {
        if (j == i) {
            continue;
        }
        __global const real* other = x + xo + (long)j * dim;
        real sum = (real)0;
        for (int k = lane; k < dim; k += LANES) {
            real d = row[k] - other[k];
            sum += l1 ? fabs(d) : d * d;
        }
        real d = group_reduce(scratch, sum, 0);
        if (index < 0 || d < best) {
            best = d;
            index = j;
        }
    }
    if (lane == 0) {
        distance[dso + i] = l1 ? best : sqrt(best);
        neighbour[nbo + i] = (real)index;
    }
}

// One work-item per column k: for each row i in order, g = dd[i]·sign(x_ik - x_nb,k) (L1, sign 0 = 0) or
// dd[i]·(x_ik - x_nb,k)/distance[i] (L2, 0 at distance 0); dx[i, k] += g, dx[nb, k] -= g. A column is one
// work-item's, so the neighbours' updates never race.
__kernel void nearest_neighbours_backward(__global const real* x, int xo, __global const real* neighbour, int nbo,
                                          __global const real* distance, int dso, __global const real* dd, int ddo,
                                          __global real* dx, int dxo, int n, int dim, int l1)
{
    int k = get_global_id(0);
    if (k >= dim) {
        return;
    }
    for (int i = 0; i < n; i++) {
        int j = (int)neighbour[nbo + i];
        real d = distance[dso + i];
        real scale = l1 ? dd[ddo + i] : (d > (real)0 ? dd[ddo + i] / d : (real)0);
        real diff = x[xo + (long)i * dim + k] - x[xo + (long)j * dim + k];
        real g = l1 ? (diff > (real)0 ? scale : diff < (real)0 ? -scale : diff == (real)0 ? (real)0 : diff) : scale * diff;
        dx[dxo + (long)i * dim + k] += g;
        dx[dxo + (long)j * dim + k] -= g;
    }
}
