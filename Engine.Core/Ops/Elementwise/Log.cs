using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = log(x). VJP: dx = dy / x.</summary>
    public static Tensor Log(Tensor x) => Unary("log", UnaryOp.Log, x);
}
