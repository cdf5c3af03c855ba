using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>dl = dy·(x − σ(l)), the derivative of x·l − softplus(l) scaled by the row's upstream gradient dy.</summary>
internal readonly struct BernoulliLogProbabilityBackwardOperator<T>(T dy) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T l, T x) => dy * (x - default(SigmoidOperator<T>).Invoke(l));

    public Vector256<T> Invoke(Vector256<T> l, Vector256<T> x) => Vector256.Create(dy) * (x - default(SigmoidOperator<T>).Invoke(l));

    public Vector512<T> Invoke(Vector512<T> l, Vector512<T> x) => Vector512.Create(dy) * (x - default(SigmoidOperator<T>).Invoke(l));
}
