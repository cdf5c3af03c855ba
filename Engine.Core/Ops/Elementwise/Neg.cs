using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = −x. VJP: dx = −dy.</summary>
    public static Tensor Neg(Tensor x) => Unary("neg", UnaryOp.Neg, x);
}
