using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy·2x (y = x²).</summary>
internal readonly struct SquareBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => dy * (x + x);

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => dy * (x + x);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => dy * (x + x);
}
