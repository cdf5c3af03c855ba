using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu;

/// <summary>Elementwise y = f(x) and dx = dy ⊙ f′(x), vectorised through TensorPrimitives where it has the function.</summary>
internal static class UnaryKernels
{
    public static void Forward<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> y, T p0, T p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, y); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryOp.Pow: TensorPrimitives.Pow(x, p0, y); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryOp.Clamp:
                TensorPrimitives.Max(x, p0, y);
                TensorPrimitives.Min(y, p1, y);
                break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryOp.LeakyRelu:
                for (var i = 0; i < x.Length; i++)
                {
                    y[i] = x[i] > T.Zero ? x[i] : p0 * x[i];
                }

                break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryOp.Softplus:
                for (var i = 0; i < x.Length; i++)
                {
                    y[i] = Softplus(x[i]);
                }

                break;
            case UnaryOp.LogSigmoid:
                for (var i = 0; i < x.Length; i++)
                {
                    y[i] = -Softplus(-x[i]);
                }

                break;
            case UnaryOp.Affine:
                TensorPrimitives.Multiply(x, p0, y);
                TensorPrimitives.Add(y, p1, y);
                break;
            case UnaryOp.Identity: x.CopyTo(y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    public static void Backward<T>(UnaryOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, T p0, T p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        var two = T.One + T.One;
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(dy, dx); break;
            case UnaryOp.Exp: TensorPrimitives.Multiply(dy, y, dx); break;
            case UnaryOp.Log: TensorPrimitives.Divide(dy, x, dx); break;
            case UnaryOp.Sqrt:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * half / y[i];
                }

                break;
            case UnaryOp.Square:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * two * x[i];
                }

                break;
            case UnaryOp.Pow:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * p0 * T.Pow(x[i], p0 - T.One);
                }

                break;
            case UnaryOp.Abs:
                for (var i = 0; i < dx.Length; i++)
                {
                    // NOTE: the subgradient at exactly 0 is taken as 0, as PyTorch does.
                    dx[i] = x[i] > T.Zero ? dy[i] : x[i] < T.Zero ? -dy[i] : T.Zero;
                }

                break;
            case UnaryOp.Clamp:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = x[i] >= p0 && x[i] <= p1 ? dy[i] : T.Zero;
                }

                break;
            case UnaryOp.Relu:
                for (var i = 0; i < dx.Length; i++)
                {
                    // NOTE: relu'(0) = 0, as PyTorch.
                    dx[i] = x[i] > T.Zero ? dy[i] : T.Zero;
                }

                break;
            case UnaryOp.LeakyRelu:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = x[i] > T.Zero ? dy[i] : p0 * dy[i];
                }

                break;
            case UnaryOp.Sigmoid:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * y[i] * (T.One - y[i]);
                }

                break;
            case UnaryOp.Tanh:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * (T.One - y[i] * y[i]);
                }

                break;
            case UnaryOp.Softplus:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * Sigmoid(x[i]);
                }

                break;
            case UnaryOp.LogSigmoid:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * Sigmoid(-x[i]);
                }

                break;
            case UnaryOp.Affine: TensorPrimitives.Multiply(dy, p0, dx); break;
            case UnaryOp.Identity: dy.CopyTo(dx); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    /// <summary>log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|): never overflows.</summary>
    public static T Softplus<T>(T x) where T : IFloatingPointIeee754<T> =>
        T.Max(x, T.Zero) + T.LogP1(T.Exp(-T.Abs(x)));

    /// <summary>1 / (1 + e^−x), evaluated on the side where the exponential cannot overflow.</summary>
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (x >= T.Zero)
        {
            return T.One / (T.One + T.Exp(-x));
        }

        var e = T.Exp(x);
        return e / (T.One + e);
    }
}
