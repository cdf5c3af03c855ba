using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = a + b (broadcasting). VJP: da = dy, db = dy, each summed back to its own shape.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = Broadcast("add", BinaryOp.Add, a, b);
        Tape.Record("add", y, [a, b], dy =>
        {
            Accumulate(a, dy);
            Accumulate(b, dy);
        });
        return y;
    }

    /// <summary>y = a − b (broadcasting). VJP: da = dy, db = −dy.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var y = Broadcast("sub", BinaryOp.Sub, a, b);
        Tape.Record("sub", y, [a, b], dy =>
        {
            Accumulate(a, dy);
            if (b.RequiresGrad)
            {
                Accumulate(b, Neg(dy));
            }
        });
        return y;
    }

    /// <summary>y = a ⊙ b (broadcasting). VJP: da = dy ⊙ b, db = dy ⊙ a.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var y = Broadcast("mul", BinaryOp.Mul, a, b);
        Tape.Record("mul", y, [a, b], dy =>
        {
            if (a.RequiresGrad)
            {
                Accumulate(a, Mul(dy, b));
            }

            if (b.RequiresGrad)
            {
                Accumulate(b, Mul(dy, a));
            }
        });
        return y;
    }

    /// <summary>y = a / b (broadcasting). VJP: da = dy / b, db = −dy ⊙ y / b.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var y = Broadcast("div", BinaryOp.Div, a, b);
        Tape.Record("div", y, [a, b], dy =>
        {
            var dyOverB = Div(dy, b);
            Accumulate(a, dyOverB);
            if (b.RequiresGrad)
            {
                Accumulate(b, Neg(Mul(dyOverB, y)));
            }
        });
        return y;
    }

    private static Tensor Broadcast(string op, BinaryOp kind, Tensor a, Tensor b)
    {
        CheckCompatible(op, a, b);
        var shape = a.Shape == b.Shape ? a.Shape : BroadcastShape(op, a.Shape, b.Shape);
        var y = Tensor.Empty(shape, a.DType, a.Backend);
        a.Backend.Binary(kind, a.View, BroadcastStrides(a.Shape, shape), b.View, BroadcastStrides(b.Shape, shape), y.View, shape.Dims);
        return y;
    }
}
