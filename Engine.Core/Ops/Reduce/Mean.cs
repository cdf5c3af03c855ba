namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = (1/n) Σ over <paramref name="axis"/>. VJP: dx = dy / n along the axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) =>
        Affine(Sum(x, axis, keepDims), 1.0 / x.Shape[axis]);

    /// <summary>y = mean of every element, as a scalar tensor.</summary>
    public static Tensor Mean(Tensor x) => Affine(Sum(x), 1.0 / Math.Max(1, x.Numel));
}
