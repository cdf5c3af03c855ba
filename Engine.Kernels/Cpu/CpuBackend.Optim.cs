namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void AdamStep(BufferView p, BufferView grad, BufferView m, BufferView v, double lr, double beta1, double beta2, double eps, double c1, double c2, double weightDecay, double gradScale)
    {
        CheckLength(p.Length, grad.Length, nameof(AdamStep));
        CheckLength(p.Length, m.Length, nameof(AdamStep));
        CheckLength(p.Length, v.Length, nameof(AdamStep));
        if (p.DType == DType.Float32)
        {
            OptimKernels.Adam(p.Array<float>(), p.Offset, grad.Array<float>(), grad.Offset, m.Array<float>(), m.Offset, v.Array<float>(), v.Offset, p.Length,
                AdamConstants<float>.From(lr, beta1, beta2, eps, c1, c2, weightDecay, gradScale), _workers);
        }
        else
        {
            OptimKernels.Adam(p.Array<double>(), p.Offset, grad.Array<double>(), grad.Offset, m.Array<double>(), m.Offset, v.Array<double>(), v.Offset, p.Length,
                AdamConstants<double>.From(lr, beta1, beta2, eps, c1, c2, weightDecay, gradScale), _workers);
        }
    }

    public void SgdStep(BufferView p, BufferView grad, BufferView? momentumBuffer, double lr, double momentum, double gradScale)
    {
        CheckLength(p.Length, grad.Length, nameof(SgdStep));
        CheckLength(p.Length, momentumBuffer?.Length ?? p.Length, nameof(SgdStep));
        if (p.DType == DType.Float32)
        {
            OptimKernels.Sgd(p.Array<float>(), p.Offset, grad.Array<float>(), grad.Offset, momentumBuffer?.Array<float>(), momentumBuffer?.Offset ?? 0, p.Length,
                (float)lr, (float)momentum, (float)gradScale, _workers);
        }
        else
        {
            OptimKernels.Sgd(p.Array<double>(), p.Offset, grad.Array<double>(), grad.Offset, momentumBuffer?.Array<double>(), momentumBuffer?.Offset ?? 0, p.Length,
                lr, momentum, gradScale, _workers);
        }
    }

    public double SumOfSquares(BufferView x) =>
        x.DType == DType.Float32 ? SumKernels.SumOfSquares(x.Span<float>()) : SumKernels.SumOfSquares(x.Span<double>());
}
