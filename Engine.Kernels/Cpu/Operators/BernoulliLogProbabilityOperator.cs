using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// log Bern(x | σ(l)) = x·l − softplus(l) for logit l and target x: no log of a saturated sigmoid.
/// </summary>
internal readonly struct BernoulliLogProbabilityOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T l, T x) => x * l - default(SoftplusOperator<T>).Invoke(l);

    public Vector256<T> Invoke(Vector256<T> l, Vector256<T> x) => x * l - default(SoftplusOperator<T>).Invoke(l);

    public Vector512<T> Invoke(Vector512<T> l, Vector512<T> x) => x * l - default(SoftplusOperator<T>).Invoke(l);
}
