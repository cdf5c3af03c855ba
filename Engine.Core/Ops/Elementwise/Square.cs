using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = x². VJP: dx = 2x ⊙ dy.</summary>
    public static Tensor Square(Tensor x) => Unary("square", UnaryOp.Square, x);
}
