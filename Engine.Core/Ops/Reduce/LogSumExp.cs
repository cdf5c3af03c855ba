namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = log Σ exp(x) over <paramref name="axis"/> (max-shifted). VJP: dx = dy ⊙ softmax(x).</summary>
    public static Tensor LogSumExp(Tensor x, int axis, bool keepDims = false) => ReduceAxis("logsumexp", Engine.Kernels.ReduceOp.LogSumExp, x, axis, keepDims);
}
