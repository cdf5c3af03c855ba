using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|): never overflows, and keeps the tiny value of a very negative x.</summary>
internal readonly struct SoftplusOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Max(x, T.Zero) + VectorMath.LogP1(T.Exp(-T.Abs(x)));

    public Vector256<T> Invoke(Vector256<T> x) =>
        Vector256.Max(x, Vector256<T>.Zero) + VectorMath.LogP1(VectorMath.Exp(-Vector256.Abs(x)));

    public Vector512<T> Invoke(Vector512<T> x) => typeof(T) == typeof(float) && ExpLog512.IsSupported
        ? ExpLog512.Softplus(x.As<T, float>()).As<float, T>()
        : Vector512.Max(x, Vector512<T>.Zero) + VectorMath.LogP1(VectorMath.Exp(-Vector512.Abs(x)));
}
