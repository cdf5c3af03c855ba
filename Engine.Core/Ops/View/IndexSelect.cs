namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// y = x with axis <paramref name="axis"/> replaced by the entries <paramref name="indices"/>
    /// (repeats allowed): a gather. VJP: dy is scatter-added back to those entries.
    /// </summary>
    public static Tensor IndexSelect(Tensor x, int axis, int[] indices)
    {
        var a = x.Shape.Normalize(axis);
        var (outer, n, inner) = x.Shape.Split(a);
        foreach (var index in indices)
        {
            if ((uint)index >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"index_select: index {index} is outside axis {axis} of shape {x.Shape}.");
            }
        }

        var chosen = (int[])indices.Clone();
        var y = Tensor.Empty(x.Shape.With(a, chosen.Length), x.DType, x.Backend);
        x.Backend.Gather(x.View, outer, n, inner, chosen, y.View);
        Tape.Record("index_select", y, [x], dy =>
        {
            var dx = Tensor.Zeros(x.Shape, x.DType, x.Backend);
            x.Backend.ScatterAdd(dy.View, outer, n, inner, chosen, dx.View);
            x.AccumulateGrad(dx);
        });
        return y;
    }
}
