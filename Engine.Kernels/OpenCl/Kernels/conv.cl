// 2-D convolution (NCHW) as im2col + GEMM, its adjoint col2im, channel bias, and 2×2 max pooling.
// Geometry: x [N, C, H, W], w [K, C, R, S], y [N, K, P, Q]; pixel (p, q) of a patch row (c, r, s)
// reads x[c, p·sh − ph + r, q·sw − pw + s] (0 outside the image).
// A column buffer holds images n0 .. n0+count: entry (image, row = (c·R + r)·S + s, p·Q + q) lives at
// image·imageStride + row·rowStride + p·Q + q, so one kernel writes both the per-image layout
// [count][CRS][PQ] (imageStride = CRS·PQ, rowStride = PQ) and the image-major-columns layout
// [CRS][count·PQ] (imageStride = PQ, rowStride = count·PQ) that folds the batch into one GEMM.

// col[image, (c, r, s), (p, q)] = x[n0 + image, c, p·sh − ph + r, q·sw − pw + s] or 0 outside.
__kernel void im2col(__global const real* x, int xo, __global real* col, int n0, int count,
                     int C, int H, int W, int R, int S, int sh, int sw, int ph, int pw, int P, int Q,
                     int imageStride, int rowStride)
{
    int e = get_global_id(0);
    int pq = P * Q, crs = C * R * S;
    if (e >= count * crs * pq) {
        return;
    }
    int q = e % Q, p = (e / Q) % P;
    int row = (e / pq) % crs, image = e / (pq * crs);
    int s = row % S, r = (row / S) % R, ch = row / (R * S);
    int h = p * sh - ph + r, w = q * sw - pw + s;
    real v = (h >= 0 && h < H && w >= 0 && w < W) ? x[xo + (((long)(n0 + image) * C + ch) * H + h) * W + w] : (real)0;
    col[(long)image * imageStride + (long)row * rowStride + p * Q + q] = v;
}

// dx[n0 + image, c, h, w] = Σ_{r, s} col[image, (c, r, s), (p, q)] over the taps with
// h = p·sh − ph + r, w = q·sw − pw + s: the adjoint of im2col as a gather (no atomics), summing
// (r, s) in ascending order like the CPU's scatter. Overwrites dx.
__kernel void col2im(__global const real* col, __global real* dx, int dxo, int n0, int count,
                     int C, int H, int W, int R, int S, int sh, int sw, int ph, int pw, int P, int Q,
                     int imageStride, int rowStride)
{
    int e = get_global_id(0);
    if (e >= count * C * H * W) {
        return;
    }
    int w = e % W, h = (e / W) % H, ch = (e / (W * H)) % C, image = e / (W * H * C);
    real s = (real)0;
    for (int r = 0; r < R; r++) {
        int hp = h + ph - r;
        if (hp < 0 || hp % sh != 0 || hp / sh >= P) {
            continue;
        }
        int p = hp / sh;
        for (int t = 0; t < S; t++) {
            int wq = w + pw - t;
            if (wq < 0 || wq % sw != 0 || wq / sw >= Q) {
                continue;
            }
            int row = (ch * R + r) * S + t;
            s += col[(long)image * imageStride + (long)row * rowStride + p * Q + wq / sw];
        }
    }
    dx[dxo + ((long)(n0 + image) * C + ch) * H * W + h * W + w] = s;
}

// y[n, k, j] += bias[k] over y [N, K, PQ].
__kernel void add_channel_bias(__global real* y, int yo, __global const real* bias, int bo, int N, int K, int PQ)
{
    int e = get_global_id(0);
    if (e < N * K * PQ) {
        y[yo + e] += bias[bo + (e / PQ) % K];
    }
}

// db[k] = Σ_n Σ_j dy[n, k, j] over dy [N, K, PQ], n then j ascending.
__kernel void channel_sums(__global const real* dy, int dyo, __global real* db, int dbo, int N, int K, int PQ)
{
    int k = get_global_id(0);
    if (k >= K) {
        return;
    }
    real s = (real)0;
    for (int n = 0; n < N; n++) {
        __global const real* plane = dy + dyo + ((long)n * K + k) * PQ;
        for (int j = 0; j < PQ; j++) {
            s += plane[j];
        }
    }
    db[dbo + k] = s;
}

// The first maximal element of window (plane, i, j) of x [planes, H, W], candidates in row order.
inline int pool_argmax(__global const real* x, int at, int W)
{
    int best = at;
    if (x[at + 1] > x[best]) best = at + 1;
    if (x[at + W] > x[best]) best = at + W;
    if (x[at + W + 1] > x[best]) best = at + W + 1;
    return best;
}

// Offset of the top-left element of window e = (plane, i, j) in [planes, H, W].
inline int pool_window(int e, int H, int W)
{
    int oh = H / 2, ow = W / 2;
    int j = e % ow, i = (e / ow) % oh, plane = e / (ow * oh);
    return plane * H * W + 2 * i * W + 2 * j;
}

// y[plane, i, j] = max of x[plane, 2i..2i+1, 2j..2j+1].
__kernel void max_pool(__global const real* x, int xo, __global real* y, int yo, int planes, int H, int W)
{
    int e = get_global_id(0);
    if (e >= planes * (H / 2) * (W / 2)) {
        return;
    }
    y[yo + e] = x[pool_argmax(x, xo + pool_window(e, H, W), W)];
}

// dx[argmax of window (plane, i, j)] = dy[plane, i, j]; dx is zeroed by the host first.
__kernel void max_pool_backward(__global const real* x, int xo, __global const real* dy, int dyo, __global real* dx, int dxo, int planes, int H, int W)
{
    int e = get_global_id(0);
    if (e >= planes * (H / 2) * (W / 2)) {
        return;
    }
    int best = pool_argmax(x, xo + pool_window(e, H, W), W);
    dx[dxo + best - xo] = dy[dyo + e];
}

// pooled[e] = max of window e of x [planes, H, W] (as max_pool) and code[e] = its winner's position 0..3
// (top-left, top-right, bottom-left, bottom-right; the first maximal one under a strict >). With relu, a window whose
// maximum is not positive gets 0 (NaN kept, as relu keeps it) and code 4: no winner, so unpooling routes nothing to it.
__kernel void max_pool_argmax(__global const real* x, int xo, __global real* pooled, int po, __global real* code, int co, int planes, int H, int W, int relu)
{
    int e = get_global_id(0);
    if (e >= planes * (H / 2) * (W / 2)) {
        return;
    }
    int at = xo + pool_window(e, H, W);
    int best = pool_argmax(x, at, W);
    real value = x[best];
    int offset = best - at;
    int c = offset == 0 ? 0 : offset == 1 ? 1 : offset == W ? 2 : 3;
    if (relu && !(value > (real)0)) {
        c = 4;
        value = isnan(value) ? value : (real)0;
    }
    pooled[po + e] = value;
    code[co + e] = (real)c;
}

// dy [planes, H, W] = dpooled at each window's winner (code), 0 at its other three elements.
__kernel void max_unpool(__global const real* dpooled, int dpo, __global const real* code, int co, __global real* dy, int dyo, int planes, int H, int W)
{
    int e = get_global_id(0);
    if (e >= planes * (H / 2) * (W / 2)) {
        return;
    }
    int at = dyo + pool_window(e, H, W);
    int c = (int)code[co + e];
    real g = dpooled[dpo + e];
    dy[at] = c == 0 ? g : (real)0;
    dy[at + 1] = c == 1 ? g : (real)0;
    dy[at + W] = c == 2 ? g : (real)0;
    dy[at + W + 1] = c == 3 ? g : (real)0;
}
