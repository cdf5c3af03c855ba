namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    public void Reduce(ReduceOp op, BufferView x, BufferView y, int outer, int n, int inner)
    {
        Check(nameof(Reduce), x.DType, x, (long)outer * n * inner, "x");
        Check(nameof(Reduce), x.DType, y, (long)outer * inner, "y");
        using var scope = _gate.EnterScope();
        if (inner == 1)
        {
            EnqueueRows(Args(ClKernelId.ReduceRows, x.DType).Int((int)op).View(x).View(y).Int(n), outer);
        }
        else
        {
            Enqueue1D(Args(ClKernelId.ReduceColumns, x.DType).Int((int)op).View(x).View(y).Int(outer).Int(n).Int(inner), (long)outer * inner);
        }
    }

    public void ReduceBackward(ReduceOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, int outer, int n, int inner)
    {
        var full = (long)outer * n * inner;
        Check(nameof(ReduceBackward), dx.DType, x, full, "x");
        Check(nameof(ReduceBackward), dx.DType, y, (long)outer * inner, "y");
        Check(nameof(ReduceBackward), dx.DType, dy, (long)outer * inner, "dy");
        Check(nameof(ReduceBackward), dx.DType, dx, full, "dx");
        using var scope = _gate.EnterScope();
        if (op == ReduceOp.Max)
        {
            Enqueue1D(Args(ClKernelId.ReduceBackwardMax, dx.DType).View(x).View(y).View(dy).View(dx).Int(outer).Int(n).Int(inner), (long)outer * inner);
        }
        else
        {
            Enqueue1D(Args(ClKernelId.ReduceBackward, dx.DType).Int((int)op).View(x).View(y).View(dy).View(dx).Int(outer).Int(n).Int(inner), full);
        }
    }
}
