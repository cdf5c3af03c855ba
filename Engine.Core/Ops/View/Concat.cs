namespace Engine.Core;

public static partial class Ops
{
    /// <summary>Joins tensors along <paramref name="axis"/>; other axes must agree. VJP: each input gets its slice of dy.</summary>
    public static Tensor Concat(int axis, params Tensor[] xs)
    {
        if (xs.Length == 0)
        {
            throw new ArgumentException("concat: needs at least one tensor.");
        }

        CheckCompatible("concat", xs);
        var first = xs[0];
        var a = first.Shape.Normalize(axis);
        var total = 0;
        foreach (var x in xs)
        {
            if (x.Rank != first.Rank || !x.Shape.With(a, 1).Equals(first.Shape.With(a, 1)))
            {
                throw new ArgumentException($"concat: shapes {first.Shape} and {x.Shape} differ outside axis {axis}.");
            }

            total += x.Shape[a];
        }

        var shape = first.Shape.With(a, total);
        var y = Tensor.Empty(shape, first.DType, first.Backend);
        var (outer, _, inner) = shape.Split(a);
        var at = 0;
        foreach (var x in xs)
        {
            var cols = x.Shape[a] * inner;
            first.Backend.CopyBlocks(x.View, cols, y.View.Slice(at * inner, y.Numel - at * inner), total * inner, outer, cols);
            at += x.Shape[a];
        }

        Tape.Record("concat", y, xs, dy =>
        {
            var start = 0;
            foreach (var x in xs)
            {
                if (x.RequiresGrad)
                {
                    x.AccumulateGrad(Slice(dy, a, start, x.Shape[a]));
                }

                start += x.Shape[a];
            }
        });
        return y;
    }
}
