using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = log σ(x) = −softplus(−x), stable. VJP: dx = dy ⊙ σ(−x).</summary>
    public static Tensor LogSigmoid(Tensor x) => Unary("log_sigmoid", UnaryOp.LogSigmoid, x);
}
