using System.Numerics;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// σ(x) = 1 / (1 + e^−x), evaluated as r = 1 / (1 + e^−|x|), then r for x ≥ 0 and e^−|x|·r for
/// x &lt; 0: the exponential never overflows, and σ of a very negative x keeps its tiny value.
/// </summary>
internal readonly struct SigmoidOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x)
    {
        var e = T.Exp(-T.Abs(x));
        var r = T.One / (T.One + e);
        return x >= T.Zero ? r : e * r;
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        var e = VectorMath.Exp(-Vector256.Abs(x));
        var r = Vector256<T>.One / (Vector256<T>.One + e);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero), r, e * r);
    }

    public Vector512<T> Invoke(Vector512<T> x)
    {
        var e = typeof(T) == typeof(float) && ExpLog512.IsSupported
            ? ExpLog512.ExpOfNonPositive(-Vector512.Abs(x.As<T, float>())).As<float, T>()
            : VectorMath.Exp(-Vector512.Abs(x));
        var r = Vector512<T>.One / (Vector512<T>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<T>.Zero), r, e * r);
    }
}
