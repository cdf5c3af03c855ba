using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = |x|. VJP: dx = sign(x) ⊙ dy (0 at x = 0).</summary>
    public static Tensor Abs(Tensor x) => Unary("abs", UnaryOp.Abs, x);
}
