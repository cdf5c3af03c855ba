using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy / (2y) (y = √x); ∞ at x = 0, as the derivative is.</summary>
internal readonly struct SqrtBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T y, T dy) => dy / (y + y);

    public Vector256<T> Invoke(Vector256<T> y, Vector256<T> dy) => dy / (y + y);

    public Vector512<T> Invoke(Vector512<T> y, Vector512<T> dy) => dy / (y + y);
}
