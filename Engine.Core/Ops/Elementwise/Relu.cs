using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = max(x, 0). VJP: dx = dy where x &gt; 0.</summary>
    public static Tensor Relu(Tensor x) => Unary("relu", UnaryOp.Relu, x);
}
