using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>log σ(x) = −softplus(−x).</summary>
internal readonly struct LogSigmoidOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => -default(SoftplusOperator<T>).Invoke(-x);

    public Vector256<T> Invoke(Vector256<T> x) => -default(SoftplusOperator<T>).Invoke(-x);

    public Vector512<T> Invoke(Vector512<T> x) => -default(SoftplusOperator<T>).Invoke(-x);
}
