namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    private const int MaxRank = 8; // shapes and strides travel as OpenCL int8 kernel arguments

    public void Unary(UnaryOp op, BufferView x, BufferView y, double p0 = 0, double p1 = 0)
    {
        CheckLength(x.Length, y.Length, nameof(Unary));
        Check(nameof(Unary), x.DType, x, x.Length, "x");
        Check(nameof(Unary), x.DType, y, y.Length, "y");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.UnaryForward, x.DType).Int((int)op).View(x).View(y).Int(x.Length).Real(p0).Real(p1), x.Length);
    }

    public void UnaryBackward(UnaryOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, double p0 = 0, double p1 = 0)
    {
        CheckLength(dy.Length, dx.Length, nameof(UnaryBackward));
        var n = dx.Length;
        Check(nameof(UnaryBackward), dx.DType, x, n, "x");
        Check(nameof(UnaryBackward), dx.DType, y, n, "y");
        Check(nameof(UnaryBackward), dx.DType, dy, n, "dy");
        Check(nameof(UnaryBackward), dx.DType, dx, n, "dx");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.UnaryBackward, dx.DType).Int((int)op).View(x).View(y).View(dy).View(dx).Int(n).Real(p0).Real(p1), n);
    }

    public void Binary(BinaryOp op, BufferView a, ReadOnlySpan<int> aStrides, BufferView b, ReadOnlySpan<int> bStrides, BufferView y, ReadOnlySpan<int> shape)
    {
        if (aStrides.Length != shape.Length || bStrides.Length != shape.Length)
        {
            throw new ArgumentException($"{nameof(Binary)}: {shape.Length} axes but {aStrides.Length} and {bStrides.Length} strides.");
        }

        // Merge axes the strides let us merge, so the kernel's index arithmetic covers any rank that
        // is at most 8 after merging (in practice every broadcast the ops produce).
        Span<int> dims = stackalloc int[shape.Length];
        Span<int> sa = stackalloc int[shape.Length];
        Span<int> sb = stackalloc int[shape.Length];
        var rank = Coalesce(shape, aStrides, bStrides, dims, sa, sb);
        if (rank > MaxRank)
        {
            throw new NotSupportedException($"{nameof(Binary)} on {Name}: {rank} axes remain after merging; the kernel takes at most {MaxRank}.");
        }

        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        Check(nameof(Binary), a.DType, y, count, "y");
        Check(nameof(Binary), a.DType, a, Extent(shape, aStrides), "a");
        Check(nameof(Binary), a.DType, b, Extent(shape, bStrides), "b");
        using var scope = _gate.EnterScope();
        var args = Args(ClKernelId.Binary, a.DType).Int((int)op).View(a).View(b).View(y).Int((int)count).Int(rank)
            .Int8(dims[..rank]).Int8(sa[..rank]).Int8(sb[..rank]);
        Enqueue1D(args, count);
    }

    public double Sum(BufferView x) => HostReduction(x, 0, nameof(Sum));

    public bool AllFinite(BufferView x) => HostReduction(x, 2, nameof(AllFinite)) == 0;

    /// <summary>
    /// Drops size-1 axes and merges axis i into axis i+1 where both operands walk them as one
    /// (stride_i = stride_{i+1}·dim_{i+1} for a and b alike); returns the new rank.
    /// </summary>
    private static int Coalesce(ReadOnlySpan<int> shape, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides, Span<int> dims, Span<int> sa, Span<int> sb)
    {
        var rank = 0;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] == 1)
            {
                continue;
            }

            if (rank > 0 && sa[rank - 1] == aStrides[axis] * shape[axis] && sb[rank - 1] == bStrides[axis] * shape[axis])
            {
                dims[rank - 1] *= shape[axis];
                sa[rank - 1] = aStrides[axis];
                sb[rank - 1] = bStrides[axis];
                continue;
            }

            dims[rank] = shape[axis];
            sa[rank] = aStrides[axis];
            sb[rank] = bStrides[axis];
            rank++;
        }

        return rank;
    }

    /// <summary>Elements an operand read through <paramref name="strides"/> must hold: 1 + Σ (dim − 1)·stride.</summary>
    private static long Extent(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        long last = 0;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] == 0)
            {
                return 0;
            }

            last += (long)(shape[axis] - 1) * strides[axis];
        }

        return last + 1;
    }
}
