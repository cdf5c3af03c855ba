namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// Elements [start, start + length) along <paramref name="axis"/>; a view when the axis is the
    /// first (the run is contiguous), else a copy. VJP: dy is added into a zero tensor of x's shape.
    /// </summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        var a = x.Shape.Normalize(axis);
        if (start < 0 || length < 0 || start + length > x.Shape[a])
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"slice: [{start}, {start + length}) is outside axis {axis} of shape {x.Shape}.");
        }

        var (outer, n, inner) = x.Shape.Split(a);
        var shape = x.Shape.With(a, length);
        Tensor y;
        if (outer == 1)
        {
            y = new Tensor(shape, x.Buffer, x.Offset + start * inner, x);
        }
        else
        {
            y = Tensor.Empty(shape, x.DType, x.Backend);
            x.Backend.CopyBlocks(x.View.Slice(start * inner, x.Numel - start * inner), n * inner, y.View, length * inner, outer, length * inner);
        }

        Tape.Record("slice", y, [x], dy => x.AccumulateGradBlocks(dy, length * inner, start * inner, n * inner, outer, length * inner));
        return y;
    }
}
