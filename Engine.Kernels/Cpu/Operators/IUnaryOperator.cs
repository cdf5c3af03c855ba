using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// y = f(x) for one element and for 256- and 512-bit vectors of elements, with the same formula in
/// each. Implemented by readonly structs so <see cref="Drivers.ElementwiseDriver"/>, constrained on the
/// struct, inlines the call; a struct's fields carry the op's parameters (a slope, clamp bounds).
/// </summary>
internal interface IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Invoke(T x);

    Vector256<T> Invoke(Vector256<T> x);

    Vector512<T> Invoke(Vector512<T> x);
}
