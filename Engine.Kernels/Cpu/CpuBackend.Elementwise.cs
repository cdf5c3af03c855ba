using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Unary(UnaryOp op, BufferView x, BufferView y, double p0 = 0, double p1 = 0)
    {
        CheckLength(x.Length, y.Length, nameof(Unary));
        if (x.DType == DType.Float32)
        {
            UnaryKernels.Forward(op, x.Span<float>(), y.Span<float>(), (float)p0, (float)p1);
        }
        else
        {
            UnaryKernels.Forward(op, x.Span<double>(), y.Span<double>(), p0, p1);
        }
    }

    public void UnaryBackward(UnaryOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, double p0 = 0, double p1 = 0)
    {
        CheckLength(dy.Length, dx.Length, nameof(UnaryBackward));
        if (x.DType == DType.Float32)
        {
            UnaryKernels.Backward(op, x.Span<float>(), y.Span<float>(), dy.Span<float>(), dx.Span<float>(), (float)p0, (float)p1);
        }
        else
        {
            UnaryKernels.Backward(op, x.Span<double>(), y.Span<double>(), dy.Span<double>(), dx.Span<double>(), p0, p1);
        }
    }

    public void Binary(BinaryOp op, BufferView a, ReadOnlySpan<int> aStrides, BufferView b, ReadOnlySpan<int> bStrides, BufferView y, ReadOnlySpan<int> shape)
    {
        if (a.DType == DType.Float32)
        {
            BinaryKernels.Run(op, a.Span<float>(), aStrides, b.Span<float>(), bStrides, y.Span<float>(), shape);
        }
        else
        {
            BinaryKernels.Run(op, a.Span<double>(), aStrides, b.Span<double>(), bStrides, y.Span<double>(), shape);
        }
    }

    public void Reduce(ReduceOp op, BufferView x, BufferView y, int outer, int n, int inner)
    {
        if (x.DType == DType.Float32)
        {
            ReduceKernels.Forward(op, x.Span<float>(), y.Span<float>(), outer, n, inner);
        }
        else
        {
            ReduceKernels.Forward(op, x.Span<double>(), y.Span<double>(), outer, n, inner);
        }
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
            LayoutKernels.Permute(x.Span<float>(), shape, perm, y.Span<float>());
        }
        else
        {
            LayoutKernels.Permute(x.Span<double>(), shape, perm, y.Span<double>());
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

    public double Sum(BufferView x)
    {
        if (x.DType == DType.Float32)
        {
            // Accumulate in double so a loss summed over many floats does not lose digits.
            var sum = 0.0;
            foreach (var v in x.Span<float>())
            {
                sum += v;
            }

            return sum;
        }

        return TensorPrimitives.Sum<double>(x.Span<double>());
    }

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
}
