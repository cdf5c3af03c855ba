using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = scale·x + shift for scalars (x + c, c·x, x − c). VJP: dx = scale·dy.</summary>
    public static Tensor Affine(Tensor x, double scale, double shift = 0) => Unary("affine", UnaryOp.Affine, x, scale, shift);
}
