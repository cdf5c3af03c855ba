using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// y = f(a, b) per element, for one element and for 256- and 512-bit vectors (see
/// <see cref="IUnaryOperator{T}"/>). The backward operators take (x or y, dy) and return dx.
/// </summary>
internal interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Invoke(T a, T b);

    Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);

    Vector512<T> Invoke(Vector512<T> a, Vector512<T> b);
}
