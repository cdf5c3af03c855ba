using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = log(1 + eˣ), stable for large |x|. VJP: dx = dy ⊙ σ(x).</summary>
    public static Tensor Softplus(Tensor x) => Unary("softplus", UnaryOp.Softplus, x);
}
