using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dx = dy·σ(x) (softplus′ = σ).</summary>
internal readonly struct SoftplusBackwardOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => dy * default(SigmoidOperator<T>).Invoke(x);

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => dy * default(SigmoidOperator<T>).Invoke(x);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => dy * default(SigmoidOperator<T>).Invoke(x);
}
