using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// C = α·A·Bᵀ + β·C with A stored [m, k] and B stored [n, k] (k contiguous in both, as in a dense layer's forward), a small
/// C and a long k: each element of C is a dot product of two contiguous runs, so nothing is packed. A register tile holds
/// 4 rows of A against 6 rows of B in 24 vector accumulators (10 loads per 24 FMAs); k is cut into blocks of at most
/// <see cref="KcBytes"/> per row, so a block of B stays in L2 while every tile of the thread passes over it, and each
/// tile's 24 partial vectors wait in per-thread scratch between blocks. Why: the conv VAE's first dense layer
/// (100 × 100 outputs, k = 3136) went through <see cref="SplitKGemmJob{T}"/>, whose two halves spent more time
/// transposing A and B into packs than multiplying: 0.196 ms for 63 MFLOP on two threads.
/// Tiles are split between the threads whole, and each is summed over k in one fixed order (its 16 lanes, block by block,
/// then across the lanes), so any thread count gives the same result; operands read as 0 where subnormal, as in the
/// packed GEMM (<see cref="GemmPacking"/>).
/// </summary>
internal sealed class DotGemmJob<T> : IWorkerJob where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int TileRows = 4;
    private const int TileCols = 6;
    private const int KcBytes = 2048;

    /// <summary>Shortest k taken: shorter products have too few vectors per tile to pay for its 24 horizontal sums.</summary>
    private const int MinK = 2048;

    /// <summary>Largest C (m·n) taken: larger ones have tiles enough for the packed GEMM, which reuses each load more.</summary>
    private const int MaxOutputs = 128 * 128;

    [ThreadStatic] private static DotGemmJob<T>? t_idle;

    private int _m, _n, _k, _kc, _groups, _tiles, _chunks;
    private T _alpha, _beta;
    private T[] _a = [], _b = [], _c = [];
    private int _aOffset, _lda, _bOffset, _ldb, _cOffset, _ldc;

    private static int Width => Vector512<T>.Count;

    /// <summary>Whether this route takes the product: A·Bᵀ as stored, AVX-512, small C, long k.</summary>
    public static bool Applies(bool transA, bool transB, int m, int n, int k) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && !transA && transB && k >= MinK && (long)m * n <= MaxOutputs && m >= 2;

    /// <summary>C = α·A·Bᵀ + β·C on <paramref name="workers"/> (null: the calling thread), then <paramref name="epilogue"/> on C.</summary>
    public static void Run(
        int m, int n, int k, T alpha, T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, WorkerPool? workers, GemmEpilogue<T>? epilogue)
    {
        var job = t_idle ?? new DotGemmJob<T>();
        t_idle = null;
        try
        {
            var kBlocks = (k + KcBytes / Unsafe.SizeOf<T>() - 1) / (KcBytes / Unsafe.SizeOf<T>());
            var kc = ((k + kBlocks - 1) / kBlocks + Width - 1) / Width * Width;
            var groups = (n + TileCols - 1) / TileCols;
            (job._m, job._n, job._k, job._kc, job._groups, job._tiles) = (m, n, k, kc, groups, (m + TileRows - 1) / TileRows * groups);
            (job._alpha, job._beta, job._a, job._aOffset, job._lda) = (alpha, beta, a, aOffset, lda);
            (job._b, job._bOffset, job._ldb, job._c, job._cOffset, job._ldc) = (b, bOffset, ldb, c, cOffset, ldc);
            job._chunks = workers is null ? 1 : Math.Min(workers.Threads, job._tiles);
            if (job._chunks == 1)
            {
                job.Run(0);
            }
            else
            {
                workers!.Run(job, job._chunks);
            }

            epilogue?.Apply(ref c[cOffset], ldc, m, 0, n);
        }
        finally
        {
            job._a = job._b = job._c = [];
            t_idle = job;
        }
    }

    /// <summary>
    /// This chunk's share of the tiles (row-major: a tile's 4 rows of A are reused across B), block by block of k. Each
    /// block of B, and each tile row's block of A, is first copied into the thread's scratch with subnormals flushed and the
    /// tail of k and the rows past m or n zero-filled, so the register tile runs on whole vectors, reads nothing twice from
    /// far away and needs no masks: a straight copy, unlike the packed GEMM's transposes (flushing in the register tile
    /// itself cost 4 operations per load and ran at 234 GFLOP/s).
    /// </summary>
    public unsafe void Run(int chunk)
    {
        var start = (int)((long)_tiles * chunk / _chunks);
        var end = (int)((long)_tiles * (chunk + 1) / _chunks);
        var (bRows, partialLength) = (_groups * TileCols, (end - start) * TileRows * TileCols * Width);
        var scratch = PackBuffer<T>.ThreadB(partialLength + (bRows + TileRows) * _kc);
        fixed (T* aBase = &_a[_aOffset], bBase = &_b[_bOffset], cBase = &_c[_cOffset], first = &scratch.Array[scratch.Offset])
        {
            T* partials = first, bBlock = first + partialLength;
            var aBlock = bBlock + (long)bRows * _kc;
            for (var p0 = 0; p0 < _k; p0 += _kc)
            {
                var length = Math.Min(_kc, _k - p0);
                var step = new BlockStep(p0 == 0, (length + Width - 1) / Width, _kc);
                CopyFlushed(bBase + p0, _ldb, _n, bRows, length, bBlock);
                for (var t = start; t < end; t++)
                {
                    var (i0, j0) = (t / _groups * TileRows, t % _groups * TileCols);
                    if (t == start || j0 == 0)
                    {
                        CopyFlushed(aBase + (long)i0 * _lda + p0, _lda, Math.Min(TileRows, _m - i0), TileRows, length, aBlock);
                    }

                    var tile = (Vector512<T>*)(partials + (long)(t - start) * TileRows * TileCols * Width);
                    Accumulate(aBlock, bBlock + (long)j0 * _kc, step, tile);
                    if (p0 + length == _k)
                    {
                        StoreTile(tile, cBase + (long)i0 * _ldc + j0, Math.Min(TileRows, _m - i0), Math.Min(TileCols, _n - j0));
                    }
                }
            }
        }
    }

    /// <summary>Where a block of k sits: whether it is the first, its vectors (the last one zero-filled) and the copies' row stride.</summary>
    private readonly record struct BlockStep(bool First, int Vectors, int Stride);

    /// <summary>
    /// <paramref name="rows"/> runs of <paramref name="length"/> values (<paramref name="ld"/> apart) into
    /// <paramref name="to"/>, <see cref="_kc"/> apart, subnormals as 0, each run zero-filled to a whole vector and the
    /// rows up to <paramref name="paddedRows"/> all zeros.
    /// </summary>
    private unsafe void CopyFlushed(T* from, int ld, int rows, int paddedRows, int length, T* to)
    {
        var whole = length / Width * Width;
        var tail = Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(length - whole)));
        for (var r = 0; r < paddedRows; r++)
        {
            T* source = from + (long)r * ld, target = to + (long)r * _kc;
            if (r >= rows)
            {
                new Span<T>(target, _kc).Clear();
                continue;
            }

            var p = 0;
            for (; p < whole; p += Width)
            {
                VectorMath.FlushSubnormal(Vector512.Load(source + p)).Store(target + p);
            }

            if (p < length)
            {
                MaskLoad(source + p, tail).Store(target + p); // the block's last vector, zero past k
            }
        }
    }

    /// <summary>A vector's lanes under <paramref name="mask"/> (nothing past them is touched), 0 elsewhere and where subnormal.</summary>
    private static unsafe Vector512<T> MaskLoad(T* address, Vector512<T> mask)
    {
        var loaded = typeof(T) == typeof(float)
            ? Avx512F.MaskLoad((float*)address, mask.AsSingle(), Vector512<float>.Zero).As<float, T>()
            : Avx512F.MaskLoad((double*)address, mask.AsDouble(), Vector512<double>.Zero).As<double, T>();
        return VectorMath.FlushSubnormal(loaded);
    }

    /// <summary>
    /// The register tile over one k block of the copies (4 rows of A and 6 of B, <see cref="BlockStep.Stride"/> apart),
    /// partials in and out: zero at the first block. A method of its own without calls, so the JIT keeps the 24
    /// accumulators in registers through the loop (with the sums to C in the same method it spilled them at every step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Accumulate(T* a, T* b, BlockStep step, Vector512<T>* partials)
    {
        Vector512<T> s00, s01, s02, s03, s04, s05, s10, s11, s12, s13, s14, s15;
        Vector512<T> s20, s21, s22, s23, s24, s25, s30, s31, s32, s33, s34, s35;
        if (step.First)
        {
            s00 = s01 = s02 = s03 = s04 = s05 = s10 = s11 = s12 = s13 = s14 = s15 = Vector512<T>.Zero;
            s20 = s21 = s22 = s23 = s24 = s25 = s30 = s31 = s32 = s33 = s34 = s35 = Vector512<T>.Zero;
        }
        else
        {
            (s00, s01, s02, s03, s04, s05) = (partials[0], partials[1], partials[2], partials[3], partials[4], partials[5]);
            (s10, s11, s12, s13, s14, s15) = (partials[6], partials[7], partials[8], partials[9], partials[10], partials[11]);
            (s20, s21, s22, s23, s24, s25) = (partials[12], partials[13], partials[14], partials[15], partials[16], partials[17]);
            (s30, s31, s32, s33, s34, s35) = (partials[18], partials[19], partials[20], partials[21], partials[22], partials[23]);
        }

        T* a0 = a, a1 = a + step.Stride, a2 = a + 2L * step.Stride, a3 = a + 3L * step.Stride;
        T* b0 = b, b1 = b + step.Stride, b2 = b + 2L * step.Stride, b3 = b + 3L * step.Stride, b4 = b + 4L * step.Stride, b5 = b + 5L * step.Stride;
        var end = step.Vectors * Width;
        for (var p = 0; p < end; p += Width)
        {
            var (x0, x1, x2, x3) = (Vector512.Load(a0 + p), Vector512.Load(a1 + p), Vector512.Load(a2 + p), Vector512.Load(a3 + p));
            var y = Vector512.Load(b0 + p);
            (s00, s10, s20, s30) = (MicroKernelMath.Fma(x0, y, s00), MicroKernelMath.Fma(x1, y, s10), MicroKernelMath.Fma(x2, y, s20), MicroKernelMath.Fma(x3, y, s30));
            y = Vector512.Load(b1 + p);
            (s01, s11, s21, s31) = (MicroKernelMath.Fma(x0, y, s01), MicroKernelMath.Fma(x1, y, s11), MicroKernelMath.Fma(x2, y, s21), MicroKernelMath.Fma(x3, y, s31));
            y = Vector512.Load(b2 + p);
            (s02, s12, s22, s32) = (MicroKernelMath.Fma(x0, y, s02), MicroKernelMath.Fma(x1, y, s12), MicroKernelMath.Fma(x2, y, s22), MicroKernelMath.Fma(x3, y, s32));
            y = Vector512.Load(b3 + p);
            (s03, s13, s23, s33) = (MicroKernelMath.Fma(x0, y, s03), MicroKernelMath.Fma(x1, y, s13), MicroKernelMath.Fma(x2, y, s23), MicroKernelMath.Fma(x3, y, s33));
            y = Vector512.Load(b4 + p);
            (s04, s14, s24, s34) = (MicroKernelMath.Fma(x0, y, s04), MicroKernelMath.Fma(x1, y, s14), MicroKernelMath.Fma(x2, y, s24), MicroKernelMath.Fma(x3, y, s34));
            y = Vector512.Load(b5 + p);
            (s05, s15, s25, s35) = (MicroKernelMath.Fma(x0, y, s05), MicroKernelMath.Fma(x1, y, s15), MicroKernelMath.Fma(x2, y, s25), MicroKernelMath.Fma(x3, y, s35));
        }

        (partials[0], partials[1], partials[2], partials[3], partials[4], partials[5]) = (s00, s01, s02, s03, s04, s05);
        (partials[6], partials[7], partials[8], partials[9], partials[10], partials[11]) = (s10, s11, s12, s13, s14, s15);
        (partials[12], partials[13], partials[14], partials[15], partials[16], partials[17]) = (s20, s21, s22, s23, s24, s25);
        (partials[18], partials[19], partials[20], partials[21], partials[22], partials[23]) = (s30, s31, s32, s33, s34, s35);
    }

    /// <summary>The tile's valid rows × cols of C: α·(each partial summed across its lanes) + β·C, C unread when β = 0.</summary>
    private unsafe void StoreTile(Vector512<T>* partials, T* c, int rows, int cols)
    {
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < cols; j++)
            {
                var value = Vector512.Sum(partials[r * TileCols + j]) * _alpha;
                ref var target = ref c[(long)r * _ldc + j];
                target = _beta == T.Zero ? value : _beta == T.One ? value + target : value + _beta * target;
            }
        }
    }
}
