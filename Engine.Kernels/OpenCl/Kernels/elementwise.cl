// Elementwise kernels: one work-item per output element.

// y[i] = f(x[i]; p0, p1). y may alias x.
__kernel void unary_forward(int op, __global const real* x, int xo, __global real* y, int yo, int n, real p0, real p1)
{
    int i = get_global_id(0);
    if (i < n) {
        y[yo + i] = unary_f(op, x[xo + i], p0, p1);
    }
}

// dx[i] = dy[i] * f'(x[i]) (or from y[i], the forward output).
__kernel void unary_backward(int op, __global const real* x, int xo, __global const real* y, int yo,
                             __global const real* dy, int dyo, __global real* dx, int dxo, int n, real p0, real p1)
{
    int i = get_global_id(0);
    if (i < n) {
        dx[dxo + i] = unary_df(op, x[xo + i], y[yo + i], dy[dyo + i], p0, p1);
    }
}

// y[i] = a[Σ_k idx_k(i)·as_k] ∘ b[Σ_k idx_k(i)·bs_k], idx(i) = i unravelled over shape (row-major).
// A stride of 0 broadcasts that axis; rank <= 8 (the host merges axes first). op: BinaryOp code.
__kernel void binary(int op, __global const real* a, int ao, __global const real* b, int bo, __global real* y, int yo,
                     int n, int rank, int8 shape, int8 aStrides, int8 bStrides)
{
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    int dims[8], sa[8], sb[8];
    vstore8(shape, 0, dims);
    vstore8(aStrides, 0, sa);
    vstore8(bStrides, 0, sb);
    int rest = i, ia = ao, ib = bo;
    for (int axis = rank - 1; axis >= 0; axis--) {
        int index = rest % dims[axis];
        rest /= dims[axis];
        ia += index * sa[axis];
        ib += index * sb[axis];
    }
    real u = a[ia], v = b[ib];
    y[yo + i] = op == 0 ? u + v : op == 1 ? u - v : op == 2 ? u * v : u / v;
}

// y[r·ys + c] = x[r·xs + c] (add = 0) or y[r·ys + c] += x[r·xs + c] (add = 1), over rows × cols.
__kernel void copy_blocks(__global const real* x, int xo, int xs, __global real* y, int yo, int ys, int rows, int cols, int add)
{
    int c = get_global_id(0), r = get_global_id(1);
    if (c < cols && r < rows) {
        real v = x[xo + r * xs + c];
        y[yo + r * ys + c] = add ? y[yo + r * ys + c] + v : v;
    }
}
