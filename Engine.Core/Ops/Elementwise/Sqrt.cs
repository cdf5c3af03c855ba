using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = √x. VJP: dx = dy / (2y).</summary>
    public static Tensor Sqrt(Tensor x) => Unary("sqrt", UnaryOp.Sqrt, x);
}
