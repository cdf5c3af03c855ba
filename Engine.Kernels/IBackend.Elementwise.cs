namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>y = f(x; p0, p1) elementwise (see <see cref="UnaryOp"/>). y may alias x.</summary>
    void Unary(UnaryOp op, BufferView x, BufferView y, double p0 = 0, double p1 = 0);

    /// <summary>dx = dy ⊙ f′(x) elementwise, given x and the forward output y (either may be cheaper).</summary>
    void UnaryBackward(UnaryOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, double p0 = 0, double p1 = 0);

    /// <summary>
    /// y = a ∘ b over <paramref name="shape"/> (the output's), reading a and b through element
    /// strides per axis; a stride of 0 broadcasts that axis.
    /// </summary>
    void Binary(BinaryOp op, BufferView a, ReadOnlySpan<int> aStrides, BufferView b, ReadOnlySpan<int> bStrides, BufferView y, ReadOnlySpan<int> shape);

    /// <summary>y = reduce over the middle axis of x viewed as [outer, n, inner] → [outer, inner].</summary>
    void Reduce(ReduceOp op, BufferView x, BufferView y, int outer, int n, int inner);

    /// <summary>dx = ∂reduce/∂x · dy for <see cref="Reduce"/>, given x, its output y and dy.</summary>
    void ReduceBackward(ReduceOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, int outer, int n, int inner);

    /// <summary>y = x with axes permuted: y.shape[i] = shape[perm[i]].</summary>
    void Permute(BufferView x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, BufferView y);

    /// <summary>y[o, j, i] = x[o, indices[j], i] for x [outer, n, inner], y [outer, m, inner].</summary>
    void Gather(BufferView x, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView y);

    /// <summary>dx[o, indices[j], i] += dy[o, j, i]: the VJP of <see cref="Gather"/>.</summary>
    void ScatterAdd(BufferView dy, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView dx);

    /// <summary>Σ x as a host double (a blocking reduction; used for losses and checks).</summary>
    double Sum(BufferView x);

    /// <summary>True if every element of x is finite.</summary>
    bool AllFinite(BufferView x);
}
