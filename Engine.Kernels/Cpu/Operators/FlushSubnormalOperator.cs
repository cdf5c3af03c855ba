using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>y = x, or 0 where x is subnormal (see <see cref="VectorMath.FlushSubnormal{T}(T)"/>).</summary>
internal readonly struct FlushSubnormalOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => VectorMath.FlushSubnormal(x);

    public Vector256<T> Invoke(Vector256<T> x) => VectorMath.FlushSubnormal(x);

    public Vector512<T> Invoke(Vector512<T> x) => VectorMath.FlushSubnormal(x);
}
