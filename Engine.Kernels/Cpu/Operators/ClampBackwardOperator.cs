using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy if low ≤ x ≤ high else 0 (the bounds themselves pass the gradient, as PyTorch's clamp).</summary>
internal readonly struct ClampBackwardOperator<T>(T low, T high) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x >= low && x <= high ? dy : T.Zero;

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) =>
        Vector256.GreaterThanOrEqual(x, Vector256.Create(low)) & Vector256.LessThanOrEqual(x, Vector256.Create(high)) & dy;

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) =>
        Vector512.GreaterThanOrEqual(x, Vector512.Create(low)) & Vector512.LessThanOrEqual(x, Vector512.Create(high)) & dy;
}
