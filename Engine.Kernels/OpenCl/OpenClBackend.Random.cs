namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    public void FillNormal(BufferView y, ulong seed, ulong counter, double mean, double std)
    {
        Check(nameof(FillNormal), y.DType, y, y.Length, "y");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.FillNormal, y.DType).View(y).Int(y.Length).ULong(seed).ULong(counter).RngReal(mean).RngReal(std), y.Length);
    }

    public void FillUniform(BufferView y, ulong seed, ulong counter, double low, double high)
    {
        Check(nameof(FillUniform), y.DType, y, y.Length, "y");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.FillUniform, y.DType).View(y).Int(y.Length).ULong(seed).ULong(counter).RngReal(low).RngReal(high), y.Length);
    }
}
