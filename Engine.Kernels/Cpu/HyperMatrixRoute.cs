namespace Engine.Kernels.Cpu;

/// <summary>The CPU backend's <see cref="IHyperMatrixGradientRoute"/>: <see cref="HyperMatrixGradients"/> for the targets it applies to.</summary>
internal sealed class HyperMatrixRoute(WorkerPool workers) : IHyperMatrixGradientRoute
{
    public bool TryBackward(HyperMatrix target, int outer, BufferView uh, BufferView g, BufferView? dv, BufferView? db, BufferView? duhT)
    {
        if (uh.DType == DType.Float32 && HyperMatrixGradients.Applies<float>(target.Rows, target.Cols))
        {
            HyperMatrixGradients.Run(uh.Array<float>(), uh.Offset, target.V.Array<float>(), target.V.Offset, g.Array<float>(), g.Offset,
                db?.Array<float>(), db?.Offset ?? 0, dv?.Array<float>(), dv?.Offset ?? 0, duhT?.Array<float>(), duhT?.Offset ?? 0,
                target.Rows, target.Cols, outer, workers);
            return true;
        }

        if (uh.DType == DType.Float64 && HyperMatrixGradients.Applies<double>(target.Rows, target.Cols))
        {
            HyperMatrixGradients.Run(uh.Array<double>(), uh.Offset, target.V.Array<double>(), target.V.Offset, g.Array<double>(), g.Offset,
                db?.Array<double>(), db?.Offset ?? 0, dv?.Array<double>(), dv?.Offset ?? 0, duhT?.Array<double>(), duhT?.Offset ?? 0,
                target.Rows, target.Cols, outer, workers);
            return true;
        }

        return false;
    }
}
