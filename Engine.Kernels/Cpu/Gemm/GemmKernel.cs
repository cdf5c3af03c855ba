using System.Numerics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// Row-major GEMM C = α·op(A)·op(B) + β·C, op(X) = X or Xᵀ; lda/ldb/ldc are the row strides of the
/// stored matrices. β = 0 overwrites C without reading it (NaN in C is ignored, as in BLAS).
/// Packed and cache-blocked (see <see cref="GemmJob{T}"/>) around an AVX-512, AVX2 or scalar
/// register tile picked once by the JIT. Results are bit-identical for any thread count.
/// </summary>
internal static class GemmKernel
{
    /// <summary>m·n·k below which a call stays on the calling thread (a pool round trip costs ~µs).</summary>
    private const long ParallelWork = 1 << 18;

    /// <summary>Rows of C in the tallest register tile on this machine (14 with AVX-512, 6 with AVX2, 4 scalar).</summary>
    public static int TileRows => GemmJob<float>.MaxRows;

    /// <summary>Columns of C per register tile for <typeparamref name="T"/> (two SIMD vectors, or 4 scalar).</summary>
    public static int TileColumns<T>() where T : unmanaged, IFloatingPointIeee754<T> => GemmJob<T>.Columns;

    /// <summary>Largest k block; longer k is cut into equal blocks of at most this size.</summary>
    public static int MaxKBlock<T>() where T : unmanaged, IFloatingPointIeee754<T> => GemmJob<T>.MaxKBlock;

    /// <summary>As <see cref="Run{T}(bool, bool, int, int, int, T, T[], int, int, T[], int, int, T, T[], int, int, WorkerPool?)"/>; threads ≤ 1 runs inline, more use the shared pool of that size.</summary>
    public static void Run<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, int threads)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, threads > 1 ? WorkerPool.Shared(threads) : null);

    /// <summary>
    /// C = α·op(A)·op(B) + β·C on <paramref name="workers"/> (null: the calling thread only), then <paramref name="epilogue"/> on C
    /// when given; with <paramref name="rowSums"/>, also the sums of op(A)'s rows (without α), taken as A is packed.
    /// </summary>
    public static void Run<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, WorkerPool? workers, GemmEpilogue<T>? epilogue = null, GemmRowSums<T>? rowSums = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
        {
            if (m > 0 && rowSums is { } sums)
            {
                CheckOperand(a.Length, aOffset, transA ? k : m, transA ? m : k, lda, nameof(a));
                sums.FromOperand(transA, a, aOffset, lda, m, k);
            }

            return;
        }

        CheckOperand(c.Length, cOffset, m, n, ldc, nameof(c));
        if (k == 0 || alpha == T.Zero)
        {
            rowSums?.FromOperand(transA, a, aOffset, lda, m, k);
            ScaleC(c, cOffset, ldc, m, n, beta);
            epilogue?.Apply(ref c[cOffset], ldc, m, 0, n);
            return;
        }

        CheckOperand(a.Length, aOffset, transA ? k : m, transA ? m : k, lda, nameof(a));
        CheckOperand(b.Length, bOffset, transB ? n : k, transB ? k : n, ldb, nameof(b));
        if (!RunsInParallel(m, n, k) || workers?.Threads == 1)
        {
            workers = null;
        }

        if (ThinGemm.Applies(m, k))
        {
            rowSums?.FromOperand(transA, a, aOffset, lda, m, k);
            ThinGemm.Run(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, workers, epilogue);
            return;
        }

        if (SplitKGemmJob<T>.Applies(m, n, k))
        {
            SplitKGemmJob<T>.Run(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, workers, epilogue, rowSums);
            return;
        }

        var job = GemmJob<T>.Rent();
        try
        {
            job.Execute(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, workers, epilogue, rowSums: rowSums);
        }
        finally
        {
            job.Return();
        }
    }

    /// <summary>Grows the calling thread's packing scratch for an m × k op(A) (see <see cref="GemmJob{T}.Reserve"/>).</summary>
    public static void Reserve<T>(int m, int k) where T : unmanaged, IFloatingPointIeee754<T> => GemmJob<T>.Reserve(m, k);

    /// <summary>Whether a product this size is split across the pool (smaller ones stay on the calling thread).</summary>
    public static bool RunsInParallel(int m, int n, int k) => (long)m * n * k >= ParallelWork;

    private static void CheckOperand(int length, int offset, int rows, int cols, int ld, string name)
    {
        if (ld < cols)
        {
            throw new ArgumentException($"GEMM: leading dimension {ld} of {name} is below its {cols} columns.", name);
        }

        if (offset < 0 || offset + (long)(rows - 1) * ld + cols > length)
        {
            throw new ArgumentException($"GEMM: {name} [{rows}×{cols}, ld {ld}] at offset {offset} overruns its {length} elements.", name);
        }
    }

    private static void ScaleC<T>(T[] c, int offset, int ldc, int m, int n, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.One)
        {
            return;
        }

        for (var i = 0; i < m; i++)
        {
            var row = c.AsSpan(offset + i * ldc, n);
            if (beta == T.Zero)
            {
                row.Clear(); // β = 0 ignores whatever C held, NaN included (BLAS semantics)
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }
}
