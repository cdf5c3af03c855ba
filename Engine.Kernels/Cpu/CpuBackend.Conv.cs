using Engine.Kernels.Cpu.Conv;

namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Conv2dForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView y, bool relu)
    {
        if (x.DType == DType.Float32)
        {
            ConvKernels.Forward(g, x.Array<float>(), x.Offset, w.Array<float>(), w.Offset, bias?.Array<float>(), bias?.Offset ?? 0, y.Array<float>(), y.Offset, relu, _workers);
        }
        else
        {
            ConvKernels.Forward(g, x.Array<double>(), x.Offset, w.Array<double>(), w.Offset, bias?.Array<double>(), bias?.Offset ?? 0, y.Array<double>(), y.Offset, relu, _workers);
        }
    }

    public void Conv2dBackwardData(ConvGeometry g, BufferView dy, BufferView w, BufferView? bias, BufferView dx, bool relu)
    {
        if (dy.DType == DType.Float32)
        {
            ConvKernels.BackwardData(g, dy.Array<float>(), dy.Offset, w.Array<float>(), w.Offset, bias?.Array<float>(), bias?.Offset ?? 0, dx.Array<float>(), dx.Offset, relu, _workers);
        }
        else
        {
            ConvKernels.BackwardData(g, dy.Array<double>(), dy.Offset, w.Array<double>(), w.Offset, bias?.Array<double>(), bias?.Offset ?? 0, dx.Array<double>(), dx.Offset, relu, _workers);
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

    public void Conv2dMaxPoolForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView pooled, BufferView code, bool relu)
    {
        CheckPooled(nameof(Conv2dMaxPoolForward), g, pooled, code);
        if (x.DType == DType.Float32)
        {
            PooledConv.Forward(g, x.Array<float>(), x.Offset, w.Array<float>(), w.Offset, bias?.Array<float>(), bias?.Offset ?? 0, pooled.Array<float>(), pooled.Offset, code.Array<float>(), code.Offset, relu, _workers);
        }
        else
        {
            PooledConv.Forward(g, x.Array<double>(), x.Offset, w.Array<double>(), w.Offset, bias?.Array<double>(), bias?.Offset ?? 0, pooled.Array<double>(), pooled.Offset, code.Array<double>(), code.Offset, relu, _workers);
        }
    }

    public void Conv2dMaxPoolBackwardWeight(ConvGeometry g, BufferView x, BufferView dpooled, BufferView code, BufferView dw, BufferView? db)
    {
        CheckPooled(nameof(Conv2dMaxPoolBackwardWeight), g, dpooled, code);
        if (db is { } b && b.Length < g.K)
        {
            throw new ArgumentException($"{nameof(Conv2dMaxPoolBackwardWeight)}: db has {b.Length} elements for {g.K} channels.");
        }

        if (x.DType == DType.Float32)
        {
            PooledConv.BackwardWeight(g, x.Array<float>(), x.Offset, dpooled.Array<float>(), dpooled.Offset, code.Array<float>(), code.Offset, dw.Array<float>(), dw.Offset,
                db?.Array<float>(), db?.Offset ?? 0, _workers);
        }
        else
        {
            PooledConv.BackwardWeight(g, x.Array<double>(), x.Offset, dpooled.Array<double>(), dpooled.Offset, code.Array<double>(), code.Offset, dw.Array<double>(), dw.Offset,
                db?.Array<double>(), db?.Offset ?? 0, _workers);
        }
    }

    public void Conv2dMaxPoolBackwardData(ConvGeometry g, BufferView dpooled, BufferView code, BufferView w, BufferView dx)
    {
        CheckPooled(nameof(Conv2dMaxPoolBackwardData), g, dpooled, code);
        if (w.Length < g.WeightLength || dx.Length < g.InputLength)
        {
            throw new ArgumentException($"{nameof(Conv2dMaxPoolBackwardData)}: w has {w.Length} of {g.WeightLength} and dx {dx.Length} of {g.InputLength} elements for {g}.");
        }

        if (dx.DType == DType.Float32)
        {
            PooledConv.BackwardData(g, dpooled.Array<float>(), dpooled.Offset, code.Array<float>(), code.Offset, w.Array<float>(), w.Offset, dx.Array<float>(), dx.Offset, _workers);
        }
        else
        {
            PooledConv.BackwardData(g, dpooled.Array<double>(), dpooled.Offset, code.Array<double>(), code.Offset, w.Array<double>(), w.Offset, dx.Array<double>(), dx.Offset, _workers);
        }
    }

    public void MaxUnpool2x2(BufferView dpooled, BufferView code, BufferView dy, int planes, int h, int w)
    {
        if (h % 2 != 0 || w % 2 != 0 || dpooled.Length < planes * (h / 2) * (w / 2) || code.Length < dpooled.Length || dy.Length < planes * h * w)
        {
            throw new ArgumentException($"{nameof(MaxUnpool2x2)}: planes {planes} of {h}×{w} (even sizes) do not fit dpooled {dpooled.Length}, code {code.Length}, dy {dy.Length}.");
        }

        if (dy.DType == DType.Float32)
        {
            PoolArgmaxKernels.Unpool(dpooled.Array<float>(), dpooled.Offset, code.Array<float>(), code.Offset, dy.Array<float>(), dy.Offset, planes, h, w, _workers);
        }
        else
        {
            PoolArgmaxKernels.Unpool(dpooled.Array<double>(), dpooled.Offset, code.Array<double>(), code.Offset, dy.Array<double>(), dy.Offset, planes, h, w, _workers);
        }
    }

    /// <summary>The pooled kernels index arrays past the views' offsets, so the views' sizes are checked here.</summary>
    private static void CheckPooled(string kernel, ConvGeometry g, BufferView pooled, BufferView code)
    {
        var length = (long)g.N * g.K * (g.P / 2) * (g.Q / 2);
        if (g.P % 2 != 0 || g.Q % 2 != 0 || pooled.Length < length || code.Length < length)
        {
            throw new ArgumentException($"{kernel}: output {g.P}×{g.Q} must have even sizes and pooled ({pooled.Length}) and code ({code.Length}) views hold {length} elements.");
        }
    }

    public void MaxPool2x2(BufferView x, BufferView y, int planes, int h, int w)
    {
        if (x.DType == DType.Float32)
        {
            MaxPoolKernels.Forward(x.Array<float>(), x.Offset, y.Array<float>(), y.Offset, planes, h, w, _workers);
        }
        else
        {
            MaxPoolKernels.Forward(x.Array<double>(), x.Offset, y.Array<double>(), y.Offset, planes, h, w, _workers);
        }
    }

    public void MaxPool2x2Backward(BufferView x, BufferView dy, BufferView dx, int planes, int h, int w)
    {
        if (x.DType == DType.Float32)
        {
            MaxPoolKernels.Backward(x.Array<float>(), x.Offset, dy.Array<float>(), dy.Offset, dx.Array<float>(), dx.Offset, planes, h, w, _workers);
        }
        else
        {
            MaxPoolKernels.Backward(x.Array<double>(), x.Offset, dy.Array<double>(), dy.Offset, dx.Array<double>(), dx.Offset, planes, h, w, _workers);
        }
    }
}
