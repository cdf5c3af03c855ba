// Data movement: axis permutation, gather and its scatter-add VJP.

// y[i] = x[Σ_k idx_k(i)·walk_k], idx(i) = i unravelled over y's shape; walk_k = x's stride of axis perm[k].
__kernel void permute(__global const real* x, int xo, __global real* y, int yo, int n, int rank, int8 outShape, int8 walk)
{
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int dims[8], strides[8];
    vstore8(outShape, 0, dims);
    vstore8(walk, 0, strides);
    int rest = i, at = xo;
    for (int axis = rank - 1; axis >= 0; axis--) {
        at += (rest % dims[axis]) * strides[axis];
        rest /= dims[axis];
    }
    y[yo + i] = x[at];
}

// y[o, j, i] = x[o, indices[j], i] for x [outer, n, inner], y [outer, m, inner].
__kernel void gather(__global const real* x, int xo, __global const int* indices, __global real* y, int yo, int outer, int n, int inner, int m)
{
    int e = get_global_id(0);
    if (e >= outer * m * inner) {
        return;
    }
    int i = e % inner, j = (e / inner) % m, o = e / (inner * m);
    y[yo + e] = x[xo + (o * n + indices[j]) * inner + i];
}

// dx[o, t, i] += Σ_{j : indices[j] = t} dy[o, j, i], j ascending: each dx element is owned by one
// work-item (no atomics) and sums in the CPU's order. The host passes the inverse of indices as
// CSR in one int buffer: starts = csr[0 .. n], sources = csr[sourcesAt ..]; sources[starts[t] ..
// starts[t+1]) are the j with indices[j] = t, ascending.
__kernel void scatter_add(__global const real* dy, int dyo, __global const int* csr, int sourcesAt,
                          __global real* dx, int dxo, int outer, int n, int inner, int m)
{
    int e = get_global_id(0);
    if (e >= outer * n * inner) {
        return;
    }
    int i = e % inner, t = (e / inner) % n, o = e / (inner * n);
    int begin = csr[t], end = csr[t + 1];
    if (begin == end) {
        return;
    }
    __global const int* sources = csr + sourcesAt;
    real s = dx[dxo + e];
    for (int k = begin; k < end; k++) {
        s += dy[dyo + (o * m + sources[k]) * inner + i];
    }
    dx[dxo + e] = s;
}
