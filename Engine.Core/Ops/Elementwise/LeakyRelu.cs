using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = x if x &gt; 0 else α·x. VJP: dx = dy or α·dy.</summary>
    public static Tensor LeakyRelu(Tensor x, double alpha = 0.01) => Unary("leaky_relu", UnaryOp.LeakyRelu, x, alpha);
}
