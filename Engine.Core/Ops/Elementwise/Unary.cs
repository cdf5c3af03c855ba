using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// Runs an elementwise backend function and records its VJP dx = dy ⊙ f′(x); the derivative of
    /// each <see cref="UnaryOp"/> is written beside its forward in the backend's unary kernels. dx is written over dy
    /// when dy is y's gradient alone (<see cref="Tensor.TakeOwnedGrad"/>).
    /// </summary>
    private static Tensor Unary(string op, UnaryOp kind, Tensor x, double p0 = 0, double p1 = 0)
    {
        var y = x.EmptyLike();
        x.Backend.Unary(kind, x.View, y.View, p0, p1);
        Tape.Record(op, y, [x], dy =>
        {
            var dx = y.TakeOwnedGrad(dy) ? dy : x.EmptyLike();
            x.Backend.UnaryBackward(kind, x.View, y.View, dy.View, dx.View, p0, p1);
            x.AccumulateGrad(dx, handedOver: true);
        });
        return y;
    }
}
