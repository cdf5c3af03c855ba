using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>y = x if x &gt; 0 else α·x.</summary>
internal readonly struct LeakyReluOperator<T>(T alpha) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x > T.Zero ? x : alpha * x;

    public Vector256<T> Invoke(Vector256<T> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, Vector256.Create(alpha) * x);

    public Vector512<T> Invoke(Vector512<T> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, Vector512.Create(alpha) * x);
}
