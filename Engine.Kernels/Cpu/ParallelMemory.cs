using System.Numerics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Fill, block copies and reductions split across the worker pool when they are large. Why: the hypernetwork's step ran
/// about 3 ms of them on one thread (zeroing 0.6 M-float gradients, concatenating 32 nets' weights, the first layer's
/// per-row bias sums), while the other core waited. Each element, row or reduced slice is written by one chunk in the
/// order a single thread would, so the results do not depend on the thread count.
/// </summary>
internal static class ParallelMemory
{
    /// <summary>Elements per chunk at least: below 2 × this a call stays on the calling thread.</summary>
    public const int Grain = UnaryKernels.ParallelGrain;

    public static void Fill<T>(WorkerPool workers, T[] y, int offset, int length, T value) where T : unmanaged =>
        CpuParallel.For(workers, length, Grain, new FillBody<T>(y, offset, value));

    /// <summary>y[r·yStride + c] = x[r·xStride + c] (or +=), split by rows, or by columns for a single row.</summary>
    public static void Blocks<T>(WorkerPool workers, T[] x, int xo, int xStride, T[] y, int yo, int yStride, int rows, int cols, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 1)
        {
            CpuParallel.For(workers, cols, Grain, new BlocksBody<T>(x, xo, 0, y, yo, 0, 1, add, byColumns: true));
            return;
        }

        CpuParallel.For(workers, rows, Math.Max(1, Grain / Math.Max(1, cols)), new BlocksBody<T>(x, xo, xStride, y, yo, yStride, cols, add, byColumns: false), alignment: 1);
    }

    /// <summary><see cref="ReduceKernels.Forward{T}"/> split by the outer index (each reduced slice whole on one thread).</summary>
    public static void Reduce<T>(WorkerPool workers, ReduceOp op, T[] x, int xo, T[] y, int yo, int outer, int n, int inner)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, outer, Math.Max(1, Grain / Math.Max(1, n * inner)), new ReduceBody<T>(op, x, xo, y, yo, n, inner), alignment: 1);

    private readonly struct FillBody<T>(T[] y, int offset, T value) : IRangeBody where T : unmanaged
    {
        public void Run(int start, int end) => y.AsSpan(offset + start, end - start).Fill(value);
    }

    private readonly struct BlocksBody<T>(T[] x, int xo, int xStride, T[] y, int yo, int yStride, int cols, bool add, bool byColumns) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            if (byColumns)
            {
                Move(x.AsSpan(xo + start, end - start), y.AsSpan(yo + start, end - start));
                return;
            }

            for (var r = start; r < end; r++)
            {
                Move(x.AsSpan(xo + r * xStride, cols), y.AsSpan(yo + r * yStride, cols));
            }
        }

        private void Move(ReadOnlySpan<T> source, Span<T> target)
        {
            if (add)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(target, source, target);
            }
            else
            {
                source.CopyTo(target);
            }
        }
    }

    private readonly struct ReduceBody<T>(ReduceOp op, T[] x, int xo, T[] y, int yo, int n, int inner) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end) =>
            ReduceKernels.Forward(op, x.AsSpan(xo + start * n * inner, (end - start) * n * inner), y.AsSpan(yo + start * inner, (end - start) * inner), end - start, n, inner);
    }
}
