namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    public void AdamStep(BufferView p, BufferView grad, BufferView m, BufferView v, double lr, double beta1, double beta2, double eps, double c1, double c2, double weightDecay, double gradScale)
    {
        var n = p.Length;
        Check(nameof(AdamStep), p.DType, p, n, "p");
        Check(nameof(AdamStep), p.DType, grad, n, "grad");
        Check(nameof(AdamStep), p.DType, m, n, "m");
        Check(nameof(AdamStep), p.DType, v, n, "v");
        using var scope = _gate.EnterScope();
        var args = Args(ClKernelId.AdamStep, p.DType).View(p).View(grad).View(m).View(v).Int(n)
            .Real(lr).Real(beta1).Real(beta2).Real(eps).Real(c1).Real(c2).Real(weightDecay).Real(gradScale);
        Enqueue1D(args, n);
    }

    public void SgdStep(BufferView p, BufferView grad, BufferView? momentumBuffer, double lr, double momentum, double gradScale)
    {
        var n = p.Length;
        Check(nameof(SgdStep), p.DType, p, n, "p");
        Check(nameof(SgdStep), p.DType, grad, n, "grad");
        if (momentumBuffer is { } buffer)
        {
            Check(nameof(SgdStep), p.DType, buffer, n, "momentumBuffer");
        }

        using var scope = _gate.EnterScope();
        // Without momentum the buffer argument is p with the flag off: the kernel never touches it.
        var args = Args(ClKernelId.SgdStep, p.DType).View(p).View(grad).View(momentumBuffer ?? p).Flag(momentumBuffer is not null).Int(n)
            .Real(lr).Real(momentum).Real(gradScale);
        Enqueue1D(args, n);
    }

    public double SumOfSquares(BufferView x) => HostReduction(x, 1, nameof(SumOfSquares));
}
