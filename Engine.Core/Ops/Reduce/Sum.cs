namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = Σ over <paramref name="axis"/>. VJP: dx = dy broadcast back along the axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => ReduceAxis("sum", Engine.Kernels.ReduceOp.Sum, x, axis, keepDims);

    /// <summary>y = Σ over several axes (applied from the last to the first so indices stay valid).</summary>
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false)
    {
        var normalized = axes.Select(x.Shape.Normalize).Distinct().OrderDescending().ToArray();
        var y = x;
        foreach (var axis in normalized)
        {
            y = Sum(y, axis, keepDims);
        }

        return y;
    }

    /// <summary>y = Σ of every element, as a scalar tensor.</summary>
    public static Tensor Sum(Tensor x) => Sum(Reshape(x, [x.Numel]), 0);
}
