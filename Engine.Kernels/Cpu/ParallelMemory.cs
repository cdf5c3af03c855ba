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

    /// <summary>
    /// <see cref="ReduceKernels.Forward{T}"/> split by the outer index (each reduced slice whole on one thread); a sum or
    /// max with fewer outer slices than threads is split by the inner index instead, each output still reduced over n in
    /// order by one thread. Why: a dense layer's bias gradient is one slice (outer 1, n = batch, inner = features), and
    /// the conv VAE's 100 × 3136 one ran on the calling thread alone.
    /// </summary>
    public static void Reduce<T>(WorkerPool workers, ReduceOp op, T[] x, int xo, T[] y, int yo, int outer, int n, int inner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (outer < workers.Threads && op != ReduceOp.LogSumExp && n > 0 && inner >= 2 * CpuParallel.Alignment)
        {
            CpuParallel.For(workers, inner, Math.Max(CpuParallel.Alignment, Grain / n), new InnerReduceBody<T>(op, x, xo, y, yo, outer, n, inner));
            return;
        }

        CpuParallel.For(workers, outer, Math.Max(1, Grain / Math.Max(1, n * inner)), new ReduceBody<T>(op, x, xo, y, yo, n, inner), alignment: 1);
    }

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

    /// <summary>Outputs [start, end) of every outer slice: the first row's values, then each later row added (or maxed) in, in order.</summary>
    private readonly struct InnerReduceBody<T>(ReduceOp op, T[] x, int xo, T[] y, int yo, int outer, int n, int inner) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            for (var o = 0; o < outer; o++)
            {
                var row = y.AsSpan(yo + o * inner + start, end - start);
                x.AsSpan(xo + o * n * inner + start, end - start).CopyTo(row);
                for (var j = 1; j < n; j++)
                {
                    var slice = x.AsSpan(xo + (o * n + j) * inner + start, end - start);
                    if (op == ReduceOp.Sum)
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(row, slice, row);
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.Max(row, slice, row);
                    }
                }
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
