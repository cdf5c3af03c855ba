using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = exp(x). VJP: dx = dy ⊙ y.</summary>
    public static Tensor Exp(Tensor x) => Unary("exp", UnaryOp.Exp, x);
}
