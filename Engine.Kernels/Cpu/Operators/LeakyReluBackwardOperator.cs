using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy if x &gt; 0 else α·dy.</summary>
internal readonly struct LeakyReluBackwardOperator<T>(T alpha) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x > T.Zero ? dy : alpha * dy;

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), dy, Vector256.Create(alpha) * dy);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), dy, Vector512.Create(alpha) * dy);
}
