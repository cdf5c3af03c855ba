namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = log (1/n) Σ exp(x) over <paramref name="axis"/> = LSE − log n. VJP: dx = dy ⊙ softmax(x).</summary>
    public static Tensor LogMeanExp(Tensor x, int axis, bool keepDims = false) =>
        Affine(LogSumExp(x, axis, keepDims), 1, -Math.Log(x.Shape[axis]));
}
