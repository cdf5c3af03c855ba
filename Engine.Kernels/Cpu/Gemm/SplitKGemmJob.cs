using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// A GEMM whose C is small and whose k is long, cut into two halves of k run side by side: the first half into C (with
/// β), the second into a partial C, then C += partial and the epilogue. Why: the conv VAE's 3136-long products
/// (100 × 100 outputs, the first dense layer's forward and the last one's data gradient) had 10 row strips by 4 column
/// strips of register tiles, so splitting C between two threads either packed all of B twice (by rows) or left them
/// unequal (by columns, one strip of 4 columns): 2 threads ran them at 120–180 GFLOP/s. Each half here packs only its
/// own halves of A and B. The split is decided by the shape alone and the halves are summed in one order, so the result
/// is the same on any number of threads.
/// </summary>
internal sealed class SplitKGemmJob<T> : IWorkerJob where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Shortest k that is split: two k blocks per half at least, so each half still streams its B strips.</summary>
    private const int MinK = 2048;

    /// <summary>Largest C (m·n) that is split: above it, C has tiles enough to share between the threads.</summary>
    private const int MaxOutputs = 128 * 128;

    [ThreadStatic] private static SplitKGemmJob<T>? t_idle;

    private bool _transA, _transB;
    private int _m, _n, _k, _half;
    private T _alpha, _beta;
    private T[] _a = [], _b = [], _c = [], _partial = [];
    private int _aOffset, _lda, _bOffset, _ldb, _cOffset, _ldc, _partialOffset;
    private GemmRowSums<T>? _rowSums, _secondSums;

    /// <summary>Whether an m × n × k product is split in k (by shape only, so every thread count gives the same sums).</summary>
    public static bool Applies(int m, int n, int k) => k >= MinK && (long)m * n <= MaxOutputs;

    /// <summary>C = α·op(A)·op(B) + β·C as two halves of k on <paramref name="workers"/> (null: one after the other), then the epilogue.</summary>
    public static void Run(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, WorkerPool? workers, GemmEpilogue<T>? epilogue, GemmRowSums<T>? rowSums = null)
    {
        var job = t_idle ?? new SplitKGemmJob<T>();
        t_idle = null;
        try
        {
            var partial = PackBuffer<T>.ThreadPartial(m * n);
            (job._transA, job._transB, job._m, job._n, job._k, job._half, job._alpha, job._beta) = (transA, transB, m, n, k, k / 2, alpha, beta);
            (job._a, job._aOffset, job._lda, job._b, job._bOffset, job._ldb) = (a, aOffset, lda, b, bOffset, ldb);
            (job._c, job._cOffset, job._ldc, job._partial, job._partialOffset) = (c, cOffset, ldc, partial.Array, partial.Offset);
            var secondSums = rowSums is null ? null : PackBuffer<T>.ThreadRowSums(m);
            (job._rowSums, job._secondSums) = (rowSums, secondSums is null ? null : new GemmRowSums<T>(secondSums.Array, secondSums.Offset, T.Zero));
            if (workers is null)
            {
                job.Run(0);
                job.Run(1);
            }
            else
            {
                workers.Run(job, 2);
            }

            for (var i = 0; i < m; i++)
            {
                var row = c.AsSpan(cOffset + i * ldc, n);
                TensorPrimitives.Add(row, partial.Array.AsSpan(partial.Offset + i * n, n), row);
            }

            epilogue?.Apply(ref c[cOffset], ldc, m, 0, n);
            if (rowSums is { } sums)
            {
                sums.Add(secondSums!.Array.AsSpan(secondSums.Offset, m)); // the first half's sums, then the second's, as C
            }
        }
        finally
        {
            (job._rowSums, job._secondSums) = (null, null);
            job._a = job._b = job._c = job._partial = [];
            t_idle = job;
        }
    }

    /// <summary>Chunk 0: k in [0, half) into C with β; chunk 1: k in [half, k) into the partial C with β = 0.</summary>
    public void Run(int chunk)
    {
        var (p0, kc) = chunk == 0 ? (0, _half) : (_half, _k - _half);
        var aOffset = _aOffset + (_transA ? p0 * _lda : p0);
        var bOffset = _bOffset + (_transB ? p0 : p0 * _ldb);
        var job = GemmJob<T>.Rent();
        var wholeB = (long)_k * _n * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        try
        {
            if (chunk == 0)
            {
                job.Execute(_transA, _transB, _m, _n, kc, _alpha, _a, aOffset, _lda, _b, bOffset, _ldb, _beta, _c, _cOffset, _ldc, null, wholeBBytes: wholeB, rowSums: _rowSums);
            }
            else
            {
                job.Execute(_transA, _transB, _m, _n, kc, _alpha, _a, aOffset, _lda, _b, bOffset, _ldb, T.Zero, _partial, _partialOffset, _n, null, wholeBBytes: wholeB, rowSums: _secondSums);
            }
        }
        finally
        {
            job.Return();
        }
    }
}
