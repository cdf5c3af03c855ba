using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy·y·(1 − y) (y = σ(x), so the residual is the output).</summary>
internal readonly struct SigmoidBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T y, T dy) => dy * y * (T.One - y);

    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy * y * (Vector256<T>.One - y);

    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => dy * y * (Vector512<T>.One - y);
}
