namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void AdamStep(BufferView p, BufferView grad, BufferView m, BufferView v, double lr, double beta1, double beta2, double eps, double c1, double c2, double weightDecay, double gradScale)
    {
        if (p.DType == DType.Float32)
        {
            OptimKernels.Adam(p.Span<float>(), grad.Span<float>(), m.Span<float>(), v.Span<float>(), (float)lr, (float)beta1, (float)beta2, (float)eps, (float)c1, (float)c2, (float)weightDecay, (float)gradScale);
        }
        else
        {
            OptimKernels.Adam(p.Span<double>(), grad.Span<double>(), m.Span<double>(), v.Span<double>(), lr, beta1, beta2, eps, c1, c2, weightDecay, gradScale);
        }
    }

    public void SgdStep(BufferView p, BufferView grad, BufferView? momentumBuffer, double lr, double momentum, double gradScale)
    {
        if (p.DType == DType.Float32)
        {
            OptimKernels.Sgd(p.Span<float>(), grad.Span<float>(), momentumBuffer is { } b ? b.Span<float>() : default, (float)lr, (float)momentum, (float)gradScale);
        }
        else
        {
            OptimKernels.Sgd(p.Span<double>(), grad.Span<double>(), momentumBuffer is { } b ? b.Span<double>() : default, lr, momentum, gradScale);
        }
    }

    public double SumOfSquares(BufferView x)
    {
        var sum = 0.0;
        if (x.DType == DType.Float32)
        {
            foreach (var v in x.Span<float>())
            {
                sum += (double)v * v;
            }
        }
        else
        {
            foreach (var v in x.Span<double>())
            {
                sum += v * v;
            }
        }

        return sum;
    }
}
