using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = clamp(x, lo, hi) (default [−1, 1]; the VampPrior uses [0, 1]). VJP: as clamp.</summary>
    public static Tensor Hardtanh(Tensor x, double lo = -1, double hi = 1) => Clamp(x, lo, hi);
}
