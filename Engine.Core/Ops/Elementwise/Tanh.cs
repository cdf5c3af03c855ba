using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = tanh(x). VJP: dx = dy ⊙ (1 − y²).</summary>
    public static Tensor Tanh(Tensor x) => Unary("tanh", UnaryOp.Tanh, x);
}
