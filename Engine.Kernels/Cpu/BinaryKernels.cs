using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu;

/// <summary>
/// y = a ∘ b with broadcasting through per-axis strides. The last axis is the vector loop (span∘span,
/// span∘scalar or scalar∘span); the outer axes are walked by an odometer.
/// </summary>
internal static class BinaryKernels
{
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
