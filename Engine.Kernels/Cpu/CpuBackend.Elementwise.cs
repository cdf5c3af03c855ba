using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Unary(UnaryOp op, BufferView x, BufferView y, double p0 = 0, double p1 = 0)
    {
        CheckLength(x.Length, y.Length, nameof(Unary));
        if (x.DType == DType.Float32)
        {
            UnaryKernels.Forward(op, x.Array<float>(), x.Offset, y.Array<float>(), y.Offset, x.Length, (float)p0, (float)p1, _workers);
        }
        else
        {
            UnaryKernels.Forward(op, x.Array<double>(), x.Offset, y.Array<double>(), y.Offset, x.Length, p0, p1, _workers);
        }
    }

    public void UnaryBackward(UnaryOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, double p0 = 0, double p1 = 0)
    {
        CheckLength(dy.Length, dx.Length, nameof(UnaryBackward));
        CheckLength(x.Length, dx.Length, nameof(UnaryBackward));
        CheckLength(y.Length, dx.Length, nameof(UnaryBackward));
        if (x.DType == DType.Float32)
        {
            UnaryKernels.Backward(op, x.Array<float>(), x.Offset, y.Array<float>(), y.Offset, dy.Array<float>(), dy.Offset, dx.Array<float>(), dx.Offset, dx.Length, (float)p0, (float)p1, _workers);
        }
        else
        {
            UnaryKernels.Backward(op, x.Array<double>(), x.Offset, y.Array<double>(), y.Offset, dy.Array<double>(), dy.Offset, dx.Array<double>(), dx.Offset, dx.Length, p0, p1, _workers);
        }
    }

    public void Binary(BinaryOp op, BufferView a, ReadOnlySpan<int> aStrides, BufferView b, ReadOnlySpan<int> bStrides, BufferView y, ReadOnlySpan<int> shape)
    {
        CheckBroadcast(a, aStrides, b, bStrides, y, shape);
        if (a.DType == DType.Float32)
        {
            BinaryKernels.Run(op, a.Array<float>(), a.Offset, aStrides, b.Array<float>(), b.Offset, bStrides, y.Array<float>(), y.Offset, y.Length, shape, _workers);
        }
        else
        {
            BinaryKernels.Run(op, a.Array<double>(), a.Offset, aStrides, b.Array<double>(), b.Offset, bStrides, y.Array<double>(), y.Offset, y.Length, shape, _workers);
        }
    }

    public void Reduce(ReduceOp op, BufferView x, BufferView y, int outer, int n, int inner)
    {
        if (x.DType == DType.Float32)
        {
            Reduce<float>(op, x, y, outer, n, inner);
        }
        else
        {
            Reduce<double>(op, x, y, outer, n, inner);
        }
    }

    private void Reduce<T>(ReduceOp op, BufferView x, BufferView y, int outer, int n, int inner)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (x.Length < (long)outer * n * inner || y.Length < (long)outer * inner)
        {
            throw new ArgumentException($"Reduce: views (x {x.Length}, y {y.Length}) do not fit {outer}×{n}×{inner}.");
        }

        ParallelMemory.Reduce(_workers, op, x.Array<T>(), x.Offset, y.Array<T>(), y.Offset, outer, n, inner);
    }

    public void ReduceBackward(ReduceOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, int outer, int n, int inner)
    {
        if (x.DType == DType.Float32)
        {
            ReduceKernels.Backward(op, x.Span<float>(), y.Span<float>(), dy.Span<float>(), dx.Span<float>(), outer, n, inner);
        }
        else
        {
            ReduceKernels.Backward(op, x.Span<double>(), y.Span<double>(), dy.Span<double>(), dx.Span<double>(), outer, n, inner);
        }
    }

    public void Permute(BufferView x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, BufferView y)
    {
        if (x.DType == DType.Float32)
        {
            LayoutKernels.Permute(x.Array<float>(), x.Offset, shape, perm, y.Array<float>(), y.Offset, x.Length, _workers);
        }
        else
        {
            LayoutKernels.Permute(x.Array<double>(), x.Offset, shape, perm, y.Array<double>(), y.Offset, x.Length, _workers);
        }
    }

    public void Gather(BufferView x, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView y)
    {
        if (x.DType == DType.Float32)
        {
            LayoutKernels.Gather(x.Span<float>(), outer, n, inner, indices, y.Span<float>());
        }
        else
        {
            LayoutKernels.Gather(x.Span<double>(), outer, n, inner, indices, y.Span<double>());
        }
    }

    public void ScatterAdd(BufferView dy, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView dx)
    {
        if (dy.DType == DType.Float32)
        {
            LayoutKernels.ScatterAdd(dy.Span<float>(), outer, n, inner, indices, dx.Span<float>());
        }
        else
        {
            LayoutKernels.ScatterAdd(dy.Span<double>(), outer, n, inner, indices, dx.Span<double>());
        }
    }

    public double Sum(BufferView x) =>
        x.DType == DType.Float32 ? SumKernels.Sum(x.Span<float>()) : TensorPrimitives.Sum<double>(x.Span<double>());

    public bool AllFinite(BufferView x)
    {
        if (x.DType == DType.Float32)
        {
            foreach (var v in x.Span<float>())
            {
                if (!float.IsFinite(v))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var v in x.Span<double>())
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The binary kernel indexes whole arrays, so every element the strides reach must lie inside its view.</summary>
    private static void CheckBroadcast(BufferView a, ReadOnlySpan<int> aStrides, BufferView b, ReadOnlySpan<int> bStrides, BufferView y, ReadOnlySpan<int> shape)
    {
        if (aStrides.Length != shape.Length || bStrides.Length != shape.Length)
        {
            throw new ArgumentException($"Binary: {shape.Length} axes but {aStrides.Length} and {bStrides.Length} strides.");
        }

        long count = 1, aLast = 0, bLast = 0;
        for (var axis = 0; axis < shape.Length; axis++)
        {
            count *= shape[axis];
            aLast += (long)(shape[axis] - 1) * aStrides[axis];
            bLast += (long)(shape[axis] - 1) * bStrides[axis];
        }

        if (count != y.Length || (count > 0 && (aLast >= a.Length || bLast >= b.Length)))
        {
            throw new ArgumentException($"Binary: shape [{string.Join(", ", shape.ToArray())}] does not fit the views (a {a.Length}, b {b.Length}, y {y.Length}).");
        }
    }
}
