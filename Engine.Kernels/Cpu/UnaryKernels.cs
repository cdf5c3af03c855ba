using System.Numerics;
using System.Numerics.Tensors;
using Engine.Kernels.Cpu.Drivers;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Elementwise y = f(x) and dx = dy ⊙ f′(x): TensorPrimitives where it has the function, else an
/// operator struct run by <see cref="ElementwiseDriver"/>. Arrays of at least
/// 2 × <see cref="ParallelGrain"/> elements are split across the worker pool in aligned chunks.
/// </summary>
internal static class UnaryKernels
{
    /// <summary>Fewest elements per thread: below ~16k floats waking a worker costs more than it saves.</summary>
    public const int ParallelGrain = 16_384;

    public static void Forward<T>(UnaryOp op, T[] x, int xOffset, T[] y, int yOffset, int length, T p0, T p1, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length > 0) // NOTE: some TensorPrimitives functions reject empty spans
        {
            CpuParallel.For(workers, length, ParallelGrain, new ForwardBody<T>(op, x, xOffset, y, yOffset, p0, p1));
        }
    }

    public static void Backward<T>(UnaryOp op, T[] x, int xOffset, T[] y, int yOffset, T[] dy, int dyOffset, T[] dx, int dxOffset, int length, T p0, T p1, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length > 0)
        {
            CpuParallel.For(workers, length, ParallelGrain, new BackwardBody<T>(op, x, xOffset, y, yOffset, dy, dyOffset, dx, dxOffset, p0, p1));
        }
    }

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
            case UnaryOp.LeakyRelu: ElementwiseDriver.Unary(new LeakyReluOperator<T>(p0), x, y); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryOp.Softplus: ElementwiseDriver.Unary(default(SoftplusOperator<T>), x, y); break;
            case UnaryOp.LogSigmoid: ElementwiseDriver.Unary(default(LogSigmoidOperator<T>), x, y); break;
            case UnaryOp.Affine:
                TensorPrimitives.Multiply(x, p0, y);
                TensorPrimitives.Add(y, p1, y);
                break;
            case UnaryOp.Identity: x.CopyTo(y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    /// <summary>dx = dy ⊙ f′; x is the input and y the output of the forward call (each op reads the one its derivative is cheaper from).</summary>
    public static void Backward<T>(UnaryOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, T p0, T p1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(dy, dx); break;
            case UnaryOp.Exp: TensorPrimitives.Multiply(dy, y, dx); break;
            case UnaryOp.Log: TensorPrimitives.Divide(dy, x, dx); break;
            case UnaryOp.Sqrt: ElementwiseDriver.Binary(default(SqrtBackwardOperator<T>), y, dy, dx); break;
            case UnaryOp.Square: ElementwiseDriver.Binary(default(SquareBackwardOperator<T>), x, dy, dx); break;
            case UnaryOp.Pow:
                for (var i = 0; i < dx.Length; i++)
                {
                    dx[i] = dy[i] * p0 * T.Pow(x[i], p0 - T.One);
                }

                break;
            case UnaryOp.Abs: ElementwiseDriver.Binary(default(AbsBackwardOperator<T>), x, dy, dx); break;
            case UnaryOp.Clamp: ElementwiseDriver.Binary(new ClampBackwardOperator<T>(p0, p1), x, dy, dx); break;
            case UnaryOp.Relu: ElementwiseDriver.Binary(default(ReluBackwardOperator<T>), x, dy, dx); break;
            case UnaryOp.LeakyRelu: ElementwiseDriver.Binary(new LeakyReluBackwardOperator<T>(p0), x, dy, dx); break;
            case UnaryOp.Sigmoid: ElementwiseDriver.Binary(default(SigmoidBackwardOperator<T>), y, dy, dx); break;
            case UnaryOp.Tanh: ElementwiseDriver.Binary(default(TanhBackwardOperator<T>), y, dy, dx); break;
            case UnaryOp.Softplus: ElementwiseDriver.Binary(default(SoftplusBackwardOperator<T>), x, dy, dx); break;
            case UnaryOp.LogSigmoid: ElementwiseDriver.Binary(default(LogSigmoidBackwardOperator<T>), x, dy, dx); break;
            case UnaryOp.Affine: TensorPrimitives.Multiply(dy, p0, dx); break;
            case UnaryOp.Identity: dy.CopyTo(dx); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    private readonly struct ForwardBody<T>(UnaryOp op, T[] x, int xOffset, T[] y, int yOffset, T p0, T p1) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end) =>
            Forward(op, x.AsSpan(xOffset + start, end - start), y.AsSpan(yOffset + start, end - start), p0, p1);
    }

    private readonly struct BackwardBody<T>(UnaryOp op, T[] x, int xOffset, T[] y, int yOffset, T[] dy, int dyOffset, T[] dx, int dxOffset, T p0, T p1) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            var n = end - start;
            Backward(op, x.AsSpan(xOffset + start, n), y.AsSpan(yOffset + start, n), dy.AsSpan(dyOffset + start, n), dx.AsSpan(dxOffset + start, n), p0, p1);
        }
    }
}
