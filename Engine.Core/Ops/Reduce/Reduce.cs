using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// Reduces one axis with a backend reduction and records dx = ∂reduce/∂x · dy (the backend's
    /// reduce-backward kernel knows each reduction's derivative).
    /// </summary>
    private static Tensor ReduceAxis(string op, ReduceOp kind, Tensor x, int axis, bool keepDims)
    {
        if (x.Rank == 0)
        {
            throw new ArgumentException($"{op}: cannot reduce a scalar over axis {axis}.");
        }

        var a = x.Shape.Normalize(axis);
        var (outer, n, inner) = x.Shape.Split(a);
        if (n == 0 && kind != ReduceOp.Sum)
        {
            throw new ArgumentException($"{op}: axis {axis} of shape {x.Shape} is empty.");
        }

        var shape = keepDims ? x.Shape.With(a, 1) : x.Shape.Without(a);
        var y = Tensor.Empty(shape, x.DType, x.Backend);
        x.Backend.Reduce(kind, x.View, y.View, outer, n, inner);
        Tape.Record(op, y, [x], dy =>
        {
            var dx = x.EmptyLike();
            x.Backend.ReduceBackward(kind, x.View, y.View, dy.View, dx.View, outer, n, inner);
            x.AccumulateGrad(dx);
        });
        return y;
    }
}
