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
