namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = max over <paramref name="axis"/>. VJP: dy goes to the first maximal element.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDims = false) => ReduceAxis("max", Engine.Kernels.ReduceOp.Max, x, axis, keepDims);
}
