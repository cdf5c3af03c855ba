using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = xᵖ for a scalar p. VJP: dx = p·xᵖ⁻¹ ⊙ dy.</summary>
    public static Tensor Pow(Tensor x, double p) => Unary("pow", UnaryOp.Pow, x, p);
}
