using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = min(max(x, lo), hi). VJP: dx = dy where lo ≤ x ≤ hi, else 0.</summary>
    public static Tensor Clamp(Tensor x, double lo, double hi) =>
        lo <= hi ? Unary("clamp", UnaryOp.Clamp, x, lo, hi) : throw new ArgumentException($"clamp: lo {lo} > hi {hi}.");
}
