using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy if x &gt; 0 else 0. NOTE: relu′(0) = 0, as PyTorch; a NaN x gives 0 too.</summary>
internal readonly struct ReluBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x > T.Zero ? dy : T.Zero;

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => Vector256.GreaterThan(x, Vector256<T>.Zero) & dy;

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => Vector512.GreaterThan(x, Vector512<T>.Zero) & dy;
}
