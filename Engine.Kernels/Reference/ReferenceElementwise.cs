using System.Numerics;

namespace Engine.Kernels.Reference;

/// <summary>
/// Ground truth for the CPU elementwise kernels: each <see cref="UnaryOp"/> and its derivative as a
/// plain float64 loop over the same inputs, the formulas written the obvious way (the stable forms
/// where the obvious one overflows).
/// </summary>
internal static class ReferenceElementwise
{
    public static void Forward<T>(UnaryOp op, ReadOnlySpan<T> x, Span<double> y, double p0 = 0, double p1 = 0) where T : INumberBase<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            y[i] = Forward(op, double.CreateChecked(x[i]), p0, p1);
        }
    }

    /// <summary>dx = dy·f′(x), with y = f(x) given for the ops whose derivative is written in y.</summary>
    public static void Backward<T>(UnaryOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<double> dx, double p0 = 0, double p1 = 0) where T : INumberBase<T>
    {
        for (var i = 0; i < dx.Length; i++)
        {
            dx[i] = double.CreateChecked(dy[i]) * Derivative(op, double.CreateChecked(x[i]), double.CreateChecked(y[i]), p0, p1);
        }
    }

    public static double Forward(UnaryOp op, double x, double p0, double p1) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Square => x * x,
        UnaryOp.Pow => Math.Pow(x, p0),
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Clamp => Math.Min(Math.Max(x, p0), p1),
        UnaryOp.Relu => Math.Max(x, 0),
        UnaryOp.LeakyRelu => x > 0 ? x : p0 * x,
        UnaryOp.Sigmoid => Sigmoid(x),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Softplus => Softplus(x),
        UnaryOp.LogSigmoid => -Softplus(-x),
        UnaryOp.Affine => p0 * x + p1,
        UnaryOp.Identity => x,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static double Derivative(UnaryOp op, double x, double y, double p0, double p1) => op switch
    {
        UnaryOp.Neg => -1,
        UnaryOp.Exp => y,
        UnaryOp.Log => 1 / x,
        UnaryOp.Sqrt => 0.5 / y,
        UnaryOp.Square => 2 * x,
        UnaryOp.Pow => p0 * Math.Pow(x, p0 - 1),
        UnaryOp.Abs => Math.Sign(x),
        UnaryOp.Clamp => x >= p0 && x <= p1 ? 1 : 0,
        UnaryOp.Relu => x > 0 ? 1 : 0,
        UnaryOp.LeakyRelu => x > 0 ? 1 : p0,
        UnaryOp.Sigmoid => y * (1 - y),
        UnaryOp.Tanh => (1 - y) * (1 + y), // not 1 − y·y, which cancels near saturation
        UnaryOp.Softplus => Sigmoid(x),
        UnaryOp.LogSigmoid => Sigmoid(-x),
        UnaryOp.Affine => p0,
        UnaryOp.Identity => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>log(1 + eˣ) = max(x, 0) + log1p(e^−|x|).</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + LogP1(Math.Exp(-Math.Abs(x)));

    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>log(1 + x), accurate for tiny x: x·log(u)/(u − 1) with u = 1 + x (Goldberg 1991); .NET's double.LogP1 is log(1 + x) as written.</summary>
    public static double LogP1(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : x * Math.Log(u) / (u - 1);
    }
}
