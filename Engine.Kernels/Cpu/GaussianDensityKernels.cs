using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// The diagonal Gaussian log-density summed over the last axis, ll[r] = −½ Σ_c [(x − μ)²·e^{−logvar} + logvar + log 2π],
/// in one pass over x [rows, cols] with parameters [paramRows, cols] repeating over a leading sample axis (row r uses
/// parameter row r mod paramRows). Why: the op-by-op route (sub, square, exp, mul, add, sum, affine) made seven passes
/// and seven launches over x, and the importance weights of IS-NLL and IWAE take two such densities per sample. e^{−logvar}
/// and Σ logvar are computed once per parameter row, not per sample. Rows are split across the pool whole; the backward
/// sums each parameter row's terms in increasing r on one thread, so neither result depends on the thread count.
/// </summary>
internal static class GaussianDensityKernels
{
    /// <summary>Rows per partial sum of the backward's dμ and dlogvar.</summary>
    private const int SumBlock = 32;

    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Forward; <paramref name="mu"/> and <paramref name="logvar"/> both empty: the standard normal.</summary>
    public static void Forward<T>(T[] x, int xOffset, T[]? mu, int muOffset, T[]? logvar, int logvarOffset, T[] ll, int llOffset, int rows, int cols, int paramRows, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows == 0)
        {
            return;
        }

        var constant = T.CreateTruncating(HalfLog2Pi * cols);
        if (mu is null || logvar is null)
        {
            CpuParallel.For(workers, rows, RowsPerChunk(cols), new StandardBody<T>(x, xOffset, ll, llOffset, cols, constant), alignment: 1);
            return;
        }

        var parameters = paramRows * cols;
        var scratch = ArrayPool<T>.Shared.Rent(parameters + paramRows);
        try
        {
            // scratch: e^{−logvar} [paramRows, cols], then ½ Σ_c logvar + ½·cols·log 2π per parameter row
            var inverseVariance = scratch.AsSpan(0, parameters);
            TensorPrimitives.Negate(logvar.AsSpan(logvarOffset, parameters), inverseVariance);
            TensorPrimitives.Exp(inverseVariance, inverseVariance);
            var half = T.One / (T.One + T.One);
            for (var p = 0; p < paramRows; p++)
            {
                scratch[parameters + p] = half * TensorPrimitives.Sum<T>(logvar.AsSpan(logvarOffset + p * cols, cols)) + constant;
            }

            CpuParallel.For(workers, rows, RowsPerChunk(cols), new GaussianBody<T>(x, xOffset, mu, muOffset, scratch, ll, llOffset, cols, paramRows), alignment: 1);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// dx = −dll·(x − μ)e^{−logvar}; dμ[p] = Σ_{r ≡ p} dll·(x − μ)e^{−logvar}; dlogvar[p] = Σ_{r ≡ p} ½dll·((x − μ)²e^{−logvar} − 1),
    /// each sum over r in increasing order. Empty outputs are skipped; the standard normal has only dx.
    /// </summary>
    public static void Backward<T>(
        T[] x, int xOffset, T[]? mu, int muOffset, T[]? logvar, int logvarOffset, T[] dll, int dllOffset,
        Span<T> dx, Span<T> dmu, Span<T> dlogvar, int rows, int cols, int paramRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        if (mu is null || logvar is null)
        {
            for (var r = 0; r < rows && !dx.IsEmpty; r++)
            {
                TensorPrimitives.Multiply(x.AsSpan(xOffset + r * cols, cols), -dll[dllOffset + r], dx.Slice(r * cols, cols));
            }

            return;
        }

        var parameters = paramRows * cols;
        var scratch = ArrayPool<T>.Shared.Rent(5 * cols);
        try
        {
            var inverseVariance = scratch.AsSpan(0, cols);
            var difference = scratch.AsSpan(cols, cols);
            var weighted = scratch.AsSpan(2 * cols, cols);
            var blockMu = scratch.AsSpan(3 * cols, cols);
            var blockLogvar = scratch.AsSpan(4 * cols, cols);
            dmu = dmu.IsEmpty ? dmu : dmu[..parameters];
            dlogvar = dlogvar.IsEmpty ? dlogvar : dlogvar[..parameters];
            for (var p = 0; p < paramRows; p++)
            {
                var m = mu.AsSpan(muOffset + p * cols, cols);
                TensorPrimitives.Negate(logvar.AsSpan(logvarOffset + p * cols, cols), inverseVariance);
                TensorPrimitives.Exp(inverseVariance, inverseVariance);
                var muSum = dmu.IsEmpty ? dmu : dmu.Slice(p * cols, cols);
                var logvarSum = dlogvar.IsEmpty ? dlogvar : dlogvar.Slice(p * cols, cols);
                muSum.Clear();
                logvarSum.Clear();
                blockMu.Clear();
                blockLogvar.Clear();
                var inBlock = 0;
                for (var r = p; r < rows; r += paramRows)
                {
                    var g = dll[dllOffset + r];
                    TensorPrimitives.Subtract(x.AsSpan(xOffset + r * cols, cols), m, difference); // d = x − μ
                    TensorPrimitives.Multiply(difference, inverseVariance, weighted);             // w = d·e^{−logvar}
                    if (!dx.IsEmpty)
                    {
                        TensorPrimitives.Multiply(weighted, -g, dx.Slice(r * cols, cols));
                    }

                    if (!muSum.IsEmpty)
                    {
                        TensorPrimitives.MultiplyAdd(weighted, g, blockMu, blockMu);
                    }

                    if (!logvarSum.IsEmpty)
                    {
                        // ½g·(d·w − 1); d is overwritten with d·w
                        TensorPrimitives.Multiply(difference, weighted, difference);
                        TensorPrimitives.MultiplyAdd(difference, half * g, blockLogvar, blockLogvar);
                        TensorPrimitives.Add(blockLogvar, -half * g, blockLogvar);
                    }

                    // Why blocks: a float32 running sum over the 1024 samples of an IS-NLL image drifts by ~n ulp; partial sums of
                    // SumBlock rows added to the total keep it to ~(SumBlock + n / SumBlock) ulp.
                    if (++inBlock == SumBlock || r + paramRows >= rows)
                    {
                        AddBlock(blockMu, muSum);
                        AddBlock(blockLogvar, logvarSum);
                        inBlock = 0;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>total += block, then block = 0; nothing when the gradient is not wanted (total empty).</summary>
    private static void AddBlock<T>(Span<T> block, Span<T> total) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!total.IsEmpty)
        {
            TensorPrimitives.Add(total, block, total);
            block.Clear();
        }
    }

    private static int RowsPerChunk(int cols) => Math.Max(1, UnaryKernels.ParallelGrain / Math.Max(1, cols));

    /// <summary>Σ_c (x[c] − μ[c])²·w[c] with one partial sum per vector lane, added up at the end.</summary>
    private static T WeightedSquaredDistance<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mu, ReadOnlySpan<T> w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ms = ref MemoryMarshal.GetReference(mu);
        ref var ws = ref MemoryMarshal.GetReference(w);
        nuint n = (uint)x.Length, i = 0;
        var sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
            {
                var d = Vector512.LoadUnsafe(ref xs, i) - Vector512.LoadUnsafe(ref ms, i);
                acc += d * d * Vector512.LoadUnsafe(ref ws, i);
            }

            sum += Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                var d = Vector256.LoadUnsafe(ref xs, i) - Vector256.LoadUnsafe(ref ms, i);
                acc += d * d * Vector256.LoadUnsafe(ref ws, i);
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            var d = Unsafe.Add(ref xs, i) - Unsafe.Add(ref ms, i);
            sum += d * d * Unsafe.Add(ref ws, i);
        }

        return sum;
    }

    private readonly struct StandardBody<T>(T[] x, int xOffset, T[] ll, int llOffset, int cols, T constant) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            var half = T.One / (T.One + T.One);
            for (var r = start; r < end; r++)
            {
                ll[llOffset + r] = -(half * TensorPrimitives.SumOfSquares<T>(x.AsSpan(xOffset + r * cols, cols)) + constant);
            }
        }
    }

    /// <summary>scratch holds e^{−logvar} [paramRows, cols] and then each parameter row's ½ Σ logvar + ½·cols·log 2π.</summary>
    private readonly struct GaussianBody<T>(T[] x, int xOffset, T[] mu, int muOffset, T[] scratch, T[] ll, int llOffset, int cols, int paramRows) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            var half = T.One / (T.One + T.One);
            var parameters = paramRows * cols;
            for (var r = start; r < end; r++)
            {
                var p = r % paramRows;
                var distance = WeightedSquaredDistance<T>(x.AsSpan(xOffset + r * cols, cols), mu.AsSpan(muOffset + p * cols, cols), scratch.AsSpan(p * cols, cols));
                ll[llOffset + r] = -(half * distance + scratch[parameters + p]);
            }
        }
    }
}
