// Reductions over the middle axis of x viewed as [outer, n, inner], their VJPs, and the host-bound
// partial sums behind Sum / SumOfSquares / AllFinite. op: ReduceOp code (0 sum, 1 max, 2 log-sum-exp).

// inner == 1: one work-group of LANES per row o; lanes stride over j, then a fixed-order tree.
// y[o] = Σ_j x[o, j] | max_j x[o, j] | m + log Σ_j exp(x[o, j] − m) with m = max_j x[o, j].
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void reduce_rows(int op, __global const real* x, int xo, __global real* y, int yo, int n)
{
    __local real scratch[LANES];
    int o = get_group_id(0), lane = get_local_id(0);
    __global const real* row = x + xo + (long)o * n;
    real v = op == 0 ? (real)0 : -INFINITY;
    for (int j = lane; j < n; j += LANES) {
        v = op == 0 ? v + row[j] : max_nan(v, row[j]);
    }
    real r = group_reduce(scratch, v, op == 0 ? 0 : 1);
    if (op == 2 && isfinite(r)) {
        real s = (real)0;
        for (int j = lane; j < n; j += LANES) {
            s += exp(row[j] - r);
        }
        r = r + log(group_reduce(scratch, s, 0));
    }
    if (lane == 0) {
        y[yo + o] = r; // n = 0 gives 0 for sums and −∞ for max and log-sum-exp; a non-finite max propagates
    }
}

// inner > 1: one work-item per output (o, i), summing j in order, as the CPU does.
__kernel void reduce_columns(int op, __global const real* x, int xo, __global real* y, int yo, int outer, int n, int inner)
{
    int e = get_global_id(0);
    if (e >= outer * inner) {
        return;
    }
    int o = e / inner, i = e % inner;
    __global const real* col = x + xo + (long)o * n * inner + i;
    real m = -INFINITY;
    if (op == 0) {
        real s = n > 0 ? col[0] : (real)0;
        for (int j = 1; j < n; j++) {
            s += col[j * inner];
        }
        y[yo + e] = s;
        return;
    }
    for (int j = 0; j < n; j++) {
        m = max_nan(m, col[j * inner]);
    }
    if (op == 2 && isfinite(m)) {
        real s = (real)0;
        for (int j = 0; j < n; j++) {
            s += exp(col[j * inner] - m);
        }
        m = m + log(s);
    }
    y[yo + e] = m;
}

// Sum: dx[o, j, i] = dy[o, i].  Log-sum-exp: dx[o, j, i] = dy[o, i] · exp(x[o, j, i] − y[o, i]) (0 if y is not finite).
__kernel void reduce_backward(int op, __global const real* x, int xo, __global const real* y, int yo,
                              __global const real* dy, int dyo, __global real* dx, int dxo, int outer, int n, int inner)
{
    int e = get_global_id(0);
    if (e >= outer * n * inner) {
        return;
    }
    int o = e / (n * inner), i = e % inner;
    real g = dy[dyo + o * inner + i];
    if (op == 0) {
        dx[dxo + e] = g;
    } else {
        real lse = y[yo + o * inner + i];
        dx[dxo + e] = isfinite(lse) ? g * exp(x[xo + e] - lse) : (real)0;
    }
}

// Max: dx[o, j, i] = dy[o, i] at the first j with x[o, j, i] == y[o, i], 0 elsewhere (ties: first wins).
__kernel void reduce_backward_max(__global const real* x, int xo, __global const real* y, int yo,
                                  __global const real* dy, int dyo, __global real* dx, int dxo, int outer, int n, int inner)
{
    int e = get_global_id(0);
    if (e >= outer * inner) {
        return;
    }
    int o = e / inner, i = e % inner;
    real target = y[yo + e];
    int found = 0;
    for (int j = 0; j < n; j++) {
        long at = (long)o * n * inner + (long)j * inner + i;
        int hit = !found && x[xo + at] == target;
        dx[dxo + at] = hit ? dy[dyo + e] : (real)0;
        found |= hit;
    }
}

// partial[g] = Σ over this group's share of f(x[k]), f = x | x² | (isfinite(x) ? 0 : 1) for mode 0 | 1 | 2.
// A fixed grid (get_num_groups) strides over x; the host adds the partials in double, in order.
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void partial_sums(int mode, __global const real* x, int xo, int n, __global acc_t* partial)
{
    __local acc_t scratch[LANES];
    int lane = get_local_id(0);
    int stride = get_global_size(0);
    acc_t s = 0;
    for (int k = get_global_id(0); k < n; k += stride) {
        real v = x[xo + k];
        s += mode == 0 ? (acc_t)v : mode == 1 ? (acc_t)v * (acc_t)v : (isfinite(v) ? (acc_t)0 : (acc_t)1);
    }
    scratch[lane] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int width = LANES / 2; width > 0; width >>= 1) {
        if (lane < width) {
            scratch[lane] += scratch[lane + width];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lane == 0) {
        partial[get_group_id(0)] = scratch[0];
    }
}
