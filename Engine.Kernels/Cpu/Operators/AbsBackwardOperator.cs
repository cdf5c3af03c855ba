using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = sign(x)·dy. NOTE: the subgradient at exactly 0 is taken as 0, as PyTorch does.</summary>
internal readonly struct AbsBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x > T.Zero ? dy : x < T.Zero ? -dy : T.Zero;

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) =>
        (Vector256.GreaterThan(x, Vector256<T>.Zero) & dy) | (Vector256.LessThan(x, Vector256<T>.Zero) & -dy);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) =>
        (Vector512.GreaterThan(x, Vector512<T>.Zero) & dy) | (Vector512.LessThan(x, Vector512<T>.Zero) & -dy);
}
