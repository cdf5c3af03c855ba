using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu;

/// <summary>
/// y = a ∘ b with broadcasting through per-axis strides. Adjacent axes that both operands walk
/// contiguously are merged first, so same-shape operands become one flat run (split across the
/// worker pool when long); otherwise the last axis is the vector loop (span∘span, span∘scalar or
/// scalar∘span) and the outer axes are walked by an odometer.
/// </summary>
internal static class BinaryKernels
{
    public static void Run<T>(BinaryOp op, T[] a, int aOffset, ReadOnlySpan<int> aStrides, T[] b, int bOffset, ReadOnlySpan<int> bStrides, T[] y, int yOffset, int length, ReadOnlySpan<int> shape, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 0)
        {
            return;
        }

        Span<int> dims = stackalloc int[Math.Max(1, shape.Length)];
        Span<int> aS = stackalloc int[dims.Length];
        Span<int> bS = stackalloc int[dims.Length];
        var rank = Coalesce(shape, aStrides, bStrides, dims, aS, bS);
        if (rank == 1)
        {
            CpuParallel.For(workers, length, UnaryKernels.ParallelGrain, new FlatBody<T>(op, a, aOffset, aS[0], b, bOffset, bS[0], y, yOffset));
            return;
        }

        Run(op, a.AsSpan(aOffset), aS[..rank], b.AsSpan(bOffset), bS[..rank], y.AsSpan(yOffset, length), dims[..rank]);
    }

    public static void Run<T>(BinaryOp op, ReadOnlySpan<T> a, ReadOnlySpan<int> aStrides, ReadOnlySpan<T> b, ReadOnlySpan<int> bStrides, Span<T> y, ReadOnlySpan<int> shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rank = shape.Length;
        if (y.Length == 0)
        {
            return;
        }

        if (rank == 0)
        {
            y[0] = Apply(op, a[0], b[0]);
            return;
        }

        var inner = shape[rank - 1];
        var aInner = aStrides[rank - 1];
        var bInner = bStrides[rank - 1];
        var rows = y.Length / inner;
        Span<int> index = stackalloc int[rank];
        index.Clear();
        int aOffset = 0, bOffset = 0;
        for (var row = 0; row < rows; row++)
        {
            Row(op, a, aOffset, aInner, b, bOffset, bInner, y.Slice(row * inner, inner));

            // Advance the odometer over the outer axes.
            for (var axis = rank - 2; axis >= 0; axis--)
            {
                index[axis]++;
                aOffset += aStrides[axis];
                bOffset += bStrides[axis];
                if (index[axis] < shape[axis])
                {
                    break;
                }

                aOffset -= aStrides[axis] * shape[axis];
                bOffset -= bStrides[axis] * shape[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>
    /// Drops size-1 axes and merges axis i into i + 1 when both operands step over axis i exactly
    /// as far as one pass over axis i + 1 (stride[i] = stride[i + 1]·shape[i + 1], broadcast zeros
    /// included). Returns the new rank (at least 1; a scalar becomes one axis of length 1).
    /// </summary>
    private static int Coalesce(ReadOnlySpan<int> shape, ReadOnlySpan<int> aStrides, ReadOnlySpan<int> bStrides, Span<int> dims, Span<int> aS, Span<int> bS)
    {
        var rank = 0;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            if (shape[axis] == 1)
            {
                continue;
            }

            if (rank > 0 && aS[rank - 1] == aStrides[axis] * shape[axis] && bS[rank - 1] == bStrides[axis] * shape[axis])
            {
                dims[rank - 1] *= shape[axis];
                aS[rank - 1] = aStrides[axis];
                bS[rank - 1] = bStrides[axis];
                continue;
            }

            (dims[rank], aS[rank], bS[rank]) = (shape[axis], aStrides[axis], bStrides[axis]);
            rank++;
        }

        if (rank == 0)
        {
            (dims[0], aS[0], bS[0]) = (1, 0, 0);
            rank = 1;
        }

        return rank;
    }

    private readonly struct FlatBody<T>(BinaryOp op, T[] a, int aOffset, int aStride, T[] b, int bOffset, int bStride, T[] y, int yOffset) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end) =>
            Row(op, a, aOffset + start * aStride, aStride, b, bOffset + start * bStride, bStride, y.AsSpan(yOffset + start, end - start));
    }

    private static void Row<T>(BinaryOp op, ReadOnlySpan<T> a, int aOffset, int aStride, ReadOnlySpan<T> b, int bOffset, int bStride, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = y.Length;
        if (aStride == 1 && bStride == 1)
        {
            var av = a.Slice(aOffset, n);
            var bv = b.Slice(bOffset, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(av, bv, y); break;
                case BinaryOp.Sub: TensorPrimitives.Subtract(av, bv, y); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(av, bv, y); break;
                default: TensorPrimitives.Divide(av, bv, y); break;
            }
        }
        else if (aStride == 1 && bStride == 0)
        {
            var av = a.Slice(aOffset, n);
            var s = b[bOffset];
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(av, s, y); break;
                case BinaryOp.Sub: TensorPrimitives.Subtract(av, s, y); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(av, s, y); break;
                default: TensorPrimitives.Divide(av, s, y); break;
            }
        }
        else if (aStride == 0 && bStride == 1)
        {
            var s = a[aOffset];
            var bv = b.Slice(bOffset, n);
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(bv, s, y); break;
                case BinaryOp.Sub: TensorPrimitives.Subtract(s, bv, y); break;
                case BinaryOp.Mul: TensorPrimitives.Multiply(bv, s, y); break;
                default: TensorPrimitives.Divide(s, bv, y); break;
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                y[i] = Apply(op, a[aOffset + i * aStride], b[bOffset + i * bStride]);
            }
        }
    }

    private static T Apply<T>(BinaryOp op, T a, T b) where T : IFloatingPointIeee754<T> => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        _ => a / b,
    };
}
