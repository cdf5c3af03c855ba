using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = 1 / (1 + e⁻ˣ). VJP: dx = dy ⊙ y(1 − y).</summary>
    public static Tensor Sigmoid(Tensor x) => Unary("sigmoid", UnaryOp.Sigmoid, x);
}
