using System.Numerics;
using Engine.Kernels.Cpu.Conv;

namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Conv2dForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView y)
    {
        if (x.DType == DType.Float32)
        {
            ConvKernels.Forward(g, x.Array<float>(), x.Offset, w.Array<float>(), w.Offset, bias?.Array<float>(), bias?.Offset ?? 0, y.Array<float>(), y.Offset, _workers);
        }
        else
        {
            ConvKernels.Forward(g, x.Array<double>(), x.Offset, w.Array<double>(), w.Offset, bias?.Array<double>(), bias?.Offset ?? 0, y.Array<double>(), y.Offset, _workers);
        }
    }

    public void Conv2dBackwardData(ConvGeometry g, BufferView dy, BufferView w, BufferView dx)
    {
        if (dy.DType == DType.Float32)
        {
            ConvKernels.BackwardData(g, dy.Array<float>(), dy.Offset, w.Array<float>(), w.Offset, dx.Array<float>(), dx.Offset, _workers);
        }
        else
        {
            ConvKernels.BackwardData(g, dy.Array<double>(), dy.Offset, w.Array<double>(), w.Offset, dx.Array<double>(), dx.Offset, _workers);
        }
    }

    public void Conv2dBackwardWeight(ConvGeometry g, BufferView x, BufferView dy, BufferView dw, BufferView? db)
    {
        if (x.DType == DType.Float32)
        {
            ConvKernels.BackwardWeight(g, x.Array<float>(), x.Offset, dy.Array<float>(), dy.Offset, dw.Array<float>(), dw.Offset, db?.Array<float>(), db?.Offset ?? 0, _workers);
        }
        else
        {
            ConvKernels.BackwardWeight(g, x.Array<double>(), x.Offset, dy.Array<double>(), dy.Offset, dw.Array<double>(), dw.Offset, db?.Array<double>(), db?.Offset ?? 0, _workers);
        }
    }

    public void MaxPool2x2(BufferView x, BufferView y, int planes, int h, int w)
    {
        if (x.DType == DType.Float32)
        {
            Pool(x.Span<float>(), y.Span<float>(), default, default, planes, h, w, backward: false);
        }
        else
        {
            Pool(x.Span<double>(), y.Span<double>(), default, default, planes, h, w, backward: false);
        }
    }

    public void MaxPool2x2Backward(BufferView x, BufferView dy, BufferView dx, int planes, int h, int w)
    {
        if (x.DType == DType.Float32)
        {
            Pool(x.Span<float>(), default, dy.Span<float>(), dx.Span<float>(), planes, h, w, backward: true);
        }
        else
        {
            Pool(x.Span<double>(), default, dy.Span<double>(), dx.Span<double>(), planes, h, w, backward: true);
        }
    }

    /// <summary>Finds the first maximal element of each 2×2 window; forward writes it, backward routes dy to it.</summary>
    private static void Pool<T>(ReadOnlySpan<T> x, Span<T> y, ReadOnlySpan<T> dy, Span<T> dx, int planes, int h, int w, bool backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = h / 2, ow = w / 2;
        if (backward)
        {
            dx.Clear();
        }

        for (var plane = 0; plane < planes; plane++)
        {
            var inAt = plane * h * w;
            var outAt = plane * oh * ow;
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var best = inAt + 2 * i * w + 2 * j;
                    ReadOnlySpan<int> others = [best + 1, best + w, best + w + 1];
                    foreach (var candidate in others)
                    {
                        if (x[candidate] > x[best])
                        {
                            best = candidate;
                        }
                    }

                    if (backward)
                    {
                        dx[best] = dy[outAt + i * ow + j];
                    }
                    else
                    {
                        y[outAt + i * ow + j] = x[best];
                    }
                }
            }
        }
    }
}
