using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// One GEMM call, BLIS-style. Rows of op(A) are cut into strips of a tile height chosen per call
/// (<see cref="ChooseRows"/>) and columns of op(B) into strips of two SIMD vectors (the last one a
/// single vector when that covers it); k is cut into equal blocks of at most <see cref="KcBytes"/>
/// bytes per row, so an A strip block stays in L1 while B strips stream past it, and column strips
/// are grouped into B blocks of at most <see cref="BBlockBytes"/> that stay in L2. For each band of
/// row strips (bounded by <see cref="PackedABytes"/>): phase 1 packs the band of A once, split over
/// the threads and shared by them; phase 2 splits the band's C tiles into one chunk per thread, by
/// columns or by rows, whichever balances better, and each chunk packs its own B blocks. Every C tile
/// is computed by one micro-kernel call per k block, k blocks in order, whichever chunk or thread runs
/// it: results are bit-identical for any thread count.
/// </summary>
internal sealed class GemmJob<T> : IWorkerJob where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int KcBytes = 1024;
    private const int BBlockBytes = 1 << 20;
    private const int PackedABytes = 16 << 20;

    /// <summary>
    /// Smallest B (as stored) whose next block is prefetched (<see cref="PrefetchNextB"/>): a core's L2. A call that is part
    /// of a larger product (<see cref="SplitKGemmJob{T}"/>'s halves) passes the whole B's size: each half's B is below the
    /// limit, but the B it is half of is no more in cache than a whole one (the conv VAE's dense weights, 1.25 MB).
    /// </summary>
    private const long PrefetchedBBytes = 1 << 20;

    /// <summary>
    /// Column strips per thread from which phase 2 hands out one strip per chunk, claimed first come first served,
    /// instead of one fixed share per thread: on this shared machine a thread held up for a while then delays the call by
    /// one strip, not by its whole share (the batch-100 GEMMs of the MLP steps; IS-NLL MLP spent about 5 % of its samples with the
    /// calling thread waiting for the worker's share under <c>perf</c>, but its 1024-row GEMMs are past <see cref="FineColumnMaxRows"/>). Each strip packs its own B, so finer chunks repack nothing.
    /// </summary>
    private const int FineColumnStrips = 4;

    /// <summary>
    /// Rows of C up to which the strip-by-strip split is taken. Above, each strip re-reads the whole packed A from L2, where
    /// a fixed share reuses each A strip across its B block: sgemm 1024³ went 11.4 → 13.3 ms (median of 6 interleaved round
    /// medians) with strips for every size.
    /// </summary>
    private const int FineColumnMaxRows = 256;

    /// <summary>How much worse a static balance the strip-by-strip column split may have than the row split and still be taken.</summary>
    private const double FineColumnSlack = 0.05;

    [ThreadStatic] private static GemmJob<T>? t_idle;

    private bool _transA, _transB;
    private int _m, _n, _k;
    private T _alpha, _beta;
    private T[] _a = [], _b = [], _c = [];
    private int _aOffset, _lda, _bOffset, _ldb, _cOffset, _ldc;
    private int _rows, _kc, _blockStrips, _nStrips;
    private bool _narrowEdge;
    private int _bandStart, _bandEnd;
    private PackBuffer<T>? _packedA;
    private bool _packing, _splitColumns;
    private int _chunks, _threads;
    private bool _prefetchB;
    private GemmEpilogue<T>? _epilogue;
    private GemmRowSums<T>? _rowSums;

    /// <summary>The tallest register tile (the tile height of a call is picked per m, see <see cref="ChooseRows"/>).</summary>
    public static int MaxRows =>
        Vector512.IsHardwareAccelerated ? MicroKernel512.MaxRows : Vector256.IsHardwareAccelerated ? MicroKernel256.Rows : MicroKernelScalar.Rows;

    public static int Columns =>
        Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count : Vector256.IsHardwareAccelerated ? MicroKernel256.Columns<T>() : MicroKernelScalar.Columns;

    public static int MaxKBlock => KcBytes / Unsafe.SizeOf<T>();

    /// <summary>The calling thread's idle job (a fresh one if it is in use), so a call allocates nothing.</summary>
    public static GemmJob<T> Rent()
    {
        var job = t_idle ?? new GemmJob<T>();
        t_idle = null;
        return job;
    }

    /// <summary>Drops the operand references and makes the job the thread's idle one again.</summary>
    public void Return()
    {
        _a = _b = _c = [];
        _packedA = null;
        _epilogue = null;
        _rowSums = null;
        t_idle = this;
    }

    public void Execute(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, WorkerPool? workers, GemmEpilogue<T>? epilogue = null, long wholeBBytes = 0,
        GemmRowSums<T>? rowSums = null)
    {
        (_transA, _transB, _m, _n, _k, _alpha, _beta, _epilogue, _rowSums) = (transA, transB, m, n, k, alpha, beta, epilogue, rowSums);
        (_a, _aOffset, _lda, _b, _bOffset, _ldb, _c, _cOffset, _ldc) = (a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        var kBlocks = (k + MaxKBlock - 1) / MaxKBlock;
        _kc = (k + kBlocks - 1) / kBlocks;
        _rows = ChooseRows(m);
        _narrowEdge = Vector512.IsHardwareAccelerated;
        _blockStrips = Math.Max(1, BBlockBytes / (_kc * Columns * Unsafe.SizeOf<T>()));
        _nStrips = (n + Columns - 1) / Columns;
        var mStrips = (m + _rows - 1) / _rows;
        var bandStrips = BandStrips(_rows, k);
        var threads = workers is null ? 1 : workers.Threads;
        _threads = threads;
        _prefetchB = Math.Max(wholeBBytes, (long)k * n * Unsafe.SizeOf<T>()) >= PrefetchedBBytes;
        for (_bandStart = 0; _bandStart < mStrips; _bandStart = _bandEnd)
        {
            _bandEnd = Math.Min(mStrips, _bandStart + bandStrips);
            var bandRows = _bandEnd - _bandStart;
            _packedA = PackBuffer<T>.ThreadA(bandRows * _rows * k);

            _packing = true;
            Dispatch(workers, Math.Min(threads, bandRows));

            _packing = false;
            var fineColumns = threads > 1 && _nStrips >= FineColumnStrips * threads && bandRows * _rows <= FineColumnMaxRows;
            _splitColumns = ColumnBalance(threads) >= RowBalance(threads) - (fineColumns ? FineColumnSlack : 0);
            Dispatch(workers, _splitColumns && fineColumns ? _nStrips : Math.Min(threads, _splitColumns ? _nStrips : bandRows));
        }
    }

    public void Run(int chunk)
    {
        if (_packing)
        {
            PackA(chunk);
        }
        else
        {
            Compute(chunk);
        }
    }

    /// <summary>Row strips per band of packed A: as many as fit <see cref="PackedABytes"/>, at least one.</summary>
    private static int BandStrips(int rows, int k) => Math.Max(1, PackedABytes / (rows * k * Unsafe.SizeOf<T>()));

    /// <summary>
    /// Grows the calling thread's packed-A buffer to what an m × k op(A) needs, so a later call of that size allocates
    /// nothing: for callers whose threads claim work of varying sizes first come first served, where the largest might
    /// otherwise come after warm-up. (The B buffer is sized once for every call, see <see cref="PackedBLength"/>.)
    /// </summary>
    public static void Reserve(int m, int k)
    {
        if (m <= 0 || k <= 0)
        {
            return;
        }

        var rows = ChooseRows(m);
        PackBuffer<T>.ThreadA(Math.Min((m + rows - 1) / rows, BandStrips(rows, k)) * rows * k);
    }

    /// <summary>
    /// A thread's packed-B buffer: a B block is at most <see cref="BBlockBytes"/> or one strip of the largest k block,
    /// whichever is more. Sized for the largest from the start: the block's exact size varies with kc, so a buffer grown
    /// for one k could regrow (by half, about 1.5 MB) for another after warm-up.
    /// </summary>
    private static int PackedBLength => BBlockBytes / Unsafe.SizeOf<T>() + MaxKBlock * Columns;

    /// <summary>
    /// Tile height for m rows: with AVX-512 the candidate (14, 12, … 4 rows) with the least padded
    /// work, weighted by how close each tile runs to peak; otherwise the one fixed tile.
    /// </summary>
    private static int ChooseRows(int m)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return MaxRows;
        }

        // relative speeds measured in place (sgemm, one thread, AVX-512); 6..14 rows differ by a few % at most
        ReadOnlySpan<(int Rows, double Speed)> candidates = [(14, 1.0), (12, 1.0), (10, 0.99), (8, 0.97), (6, 0.93), (4, 0.82)];
        var (best, bestCost) = (0, double.MaxValue);
        foreach (var (rows, speed) in candidates)
        {
            var cost = (m + rows - 1) / rows * rows / speed;
            if (cost < bestCost * 0.999)
            {
                (best, bestCost) = (rows, cost);
            }
        }

        return best;
    }

    /// <summary>
    /// Fraction of the threads kept busy when the column strips are split evenly among them, counting a narrow last strip
    /// (one vector of the two) as half a strip. Why: the conv VAE's n = 100 GEMMs have 3 full strips and one of 4 columns,
    /// and counting strips alone called that split perfect, so one thread ran 2 strips while the other ran 1½.
    /// </summary>
    private double ColumnBalance(int threads) => Balance(_nStrips, threads, columns: true);

    /// <summary>As <see cref="ColumnBalance"/> for the band's row strips, a short last strip counted by its rows.</summary>
    private double RowBalance(int threads) => Balance(_bandEnd - _bandStart, threads, columns: false);

    /// <summary>Total work ÷ (threads × the largest chunk's work) for <paramref name="strips"/> split by <see cref="Range"/>.</summary>
    private double Balance(int strips, int threads, bool columns)
    {
        var chunks = Math.Min(threads, strips);
        var (total, largest) = (0.0, 0.0);
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            var (start, end) = Range(0, strips, chunk, chunks);
            var sum = 0.0;
            for (var s = start; s < end; s++)
            {
                sum += columns ? ColumnStripWork(s) : RowStripWork(_bandStart + s);
            }

            (total, largest) = (total + sum, Math.Max(largest, sum));
        }

        return total / (threads * largest);
    }

    private double ColumnStripWork(int strip) => _narrowEdge && _n - strip * Columns <= Columns / 2 ? 0.5 : 1.0;

    private double RowStripWork(int strip) => Math.Min(_rows, _m - strip * _rows) / (double)_rows;

    private static (int Start, int End) Range(int start, int end, int chunk, int chunks) =>
        (start + (int)((long)(end - start) * chunk / chunks), start + (int)((long)(end - start) * (chunk + 1) / chunks));

    private void Dispatch(WorkerPool? workers, int chunks)
    {
        _chunks = chunks;
        if (workers is null || chunks == 1)
        {
            for (var i = 0; i < chunks; i++)
            {
                Run(i);
            }
        }
        else
        {
            workers.Run(this, chunks);
        }
    }

    /// <summary>Phase 1: pack this chunk's A strips over all of k (strip s at (s − bandStart)·rows·k).</summary>
    private void PackA(int chunk)
    {
        var (start, end) = Range(_bandStart, _bandEnd, chunk, _chunks);
        var packed = _packedA!;
        ref var dest = ref packed.Array[packed.Offset + (start - _bandStart) * _rows * _k];
        GemmPacking.PackA(_transA, _a, _aOffset, _lda, _m, _k, start, end, _rows, ref dest);
        if (_rowSums is { } sums)
        {
            for (var s = start; s < end; s++)
            {
                sums.FromPackedStrip(ref Unsafe.Add(ref dest, (s - start) * _rows * _k), Math.Min(_rows, _m - s * _rows), _rows, _k, s * _rows);
            }
        }
    }

    /// <summary>Phase 2: all C tiles of this chunk, B blocks packed by the running thread.</summary>
    /// <remarks>SkipLocalsInit: the edge tile is always written (β = 0) before it is read, so zeroing it per call is wasted work.</remarks>
    [SkipLocalsInit]
    private void Compute(int chunk)
    {
        var (sStart, sEnd) = _splitColumns ? (_bandStart, _bandEnd) : Range(_bandStart, _bandEnd, chunk, _chunks);
        var (tStart, tEnd) = _splitColumns ? Range(0, _nStrips, chunk, _chunks) : (0, _nStrips);
        var packedB = PackBuffer<T>.ThreadB(PackedBLength); // ≥ _blockStrips · _kc · Columns
        Span<T> edge = stackalloc T[MaxRows * Columns];
        ref var edgeTile = ref MemoryMarshal.GetReference(edge);
        ref var packedA = ref _packedA!.Array[_packedA.Offset];
        ref var bBlock = ref packedB.Array[packedB.Offset];
        ref var c = ref MemoryMarshal.GetArrayDataReference(_c);
        for (var tBlock = tStart; tBlock < tEnd; tBlock += _blockStrips)
        {
            var tBlockEnd = Math.Min(tEnd, tBlock + _blockStrips);
            for (var p0 = 0; p0 < _k; p0 += _kc)
            {
                var kc = Math.Min(_kc, _k - p0);
                GemmPacking.PackB(_transB, _b, _bOffset, _ldb, _n, p0, kc, tBlock, tBlockEnd, Columns, _narrowEdge, ref bBlock);
                PrefetchNextB(chunk, tBlock, tBlockEnd, tEnd, p0, kc);
                var beta = p0 == 0 ? _beta : T.One;
                var last = p0 + kc == _k;
                for (var s = sStart; s < sEnd; s++)
                {
                    var i0 = s * _rows;
                    var rows = Math.Min(_rows, _m - i0);
                    ref var aStrip = ref Unsafe.Add(ref packedA, (s - _bandStart) * _rows * _k + p0 * _rows);
                    for (var t = tBlock; t < tBlockEnd; t++)
                    {
                        var j0 = t * Columns;
                        var cols = Math.Min(Columns, _n - j0);
                        var narrow = _narrowEdge && cols <= Columns / 2;
                        ref var bStrip = ref Unsafe.Add(ref bBlock, (t - tBlock) * kc * Columns);
                        ref var cTile = ref Unsafe.Add(ref c, _cOffset + i0 * _ldc + j0);
                        if (rows == _rows && cols == (narrow ? Columns / 2 : Columns))
                        {
                            Tile(_rows, narrow, kc, ref aStrip, ref bStrip, ref cTile, _ldc, _alpha, beta);
                        }
                        else
                        {
                            Tile(_rows, narrow, kc, ref aStrip, ref bStrip, ref edgeTile, Columns, _alpha, T.Zero);
                            StoreEdge(ref edgeTile, ref cTile, _ldc, rows, cols, beta);
                        }

                        if (last && _epilogue is { } epilogue)
                        {
                            epilogue.Apply(ref cTile, _ldc, rows, j0, cols);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Prefetches the B block this thread packs next, while it multiplies the one it has just packed: the next k block of
    /// the same strips, else the chunk's next strips, else (one strip per chunk, claimed in turn) the strip a pool's
    /// turn ahead. Why: a layer's backward reads B (its input, written in the forward) from far away, in runs of one or
    /// two lines per row of B that the hardware prefetcher does not follow. Only for a B of at least
    /// <see cref="PrefetchedBBytes"/>: a smaller one may well be in cache, and prefetching it anyway cost the MLP VAE's
    /// step 2 % (A/B 1.019).
    /// </summary>
    private void PrefetchNextB(int chunk, int tBlock, int tBlockEnd, int tEnd, int p0, int kc)
    {
        if (!_prefetchB)
        {
            return;
        }

        if (p0 + kc < _k)
        {
            GemmPacking.PrefetchB(_transB, _b, _bOffset, _ldb, _n, p0 + kc, Math.Min(_kc, _k - p0 - kc), tBlock, tBlockEnd, Columns);
        }
        else if (tBlockEnd < tEnd)
        {
            GemmPacking.PrefetchB(_transB, _b, _bOffset, _ldb, _n, 0, Math.Min(_kc, _k), tBlockEnd, Math.Min(tEnd, tBlockEnd + _blockStrips), Columns);
        }
        else if (_splitColumns && _chunks == _nStrips && chunk + _threads < _nStrips)
        {
            GemmPacking.PrefetchB(_transB, _b, _bOffset, _ldb, _n, 0, Math.Min(_kc, _k), chunk + _threads, chunk + _threads + 1, Columns);
        }
    }

    /// <summary>One register tile of <paramref name="rows"/> × (one or two vectors) on this machine's widest path.</summary>
    private static void Tile(int rows, bool narrow, int kc, ref T a, ref T b, ref T c, int ldc, T alpha, T beta)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            if (Vector256.IsHardwareAccelerated)
            {
                MicroKernel256.Run(kc, ref a, ref b, ref c, ldc, alpha, beta);
            }
            else
            {
                MicroKernelScalar.Run(kc, ref a, ref b, ref c, ldc, alpha, beta);
            }

            return;
        }

        switch (rows, narrow)
        {
            case (14, false): MicroKernel512.Run<T, Tile14x2>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (12, false): MicroKernel512.Run<T, Tile12x2>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (10, false): MicroKernel512.Run<T, Tile10x2>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (8, false): MicroKernel512.Run<T, Tile8x2>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (6, false): MicroKernel512.Run<T, Tile6x2>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (4, false): MicroKernel512.Run<T, Tile4x2>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (14, true): MicroKernel512.Run<T, Tile14x1>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (12, true): MicroKernel512.Run<T, Tile12x1>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (10, true): MicroKernel512.Run<T, Tile10x1>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (8, true): MicroKernel512.Run<T, Tile8x1>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            case (6, true): MicroKernel512.Run<T, Tile6x1>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
            default: MicroKernel512.Run<T, Tile4x1>(kc, ref a, ref b, ref c, ldc, alpha, beta); break;
        }
    }

    /// <summary>
    /// The valid rows × cols of an edge tile (already α·acc) into C, with the same β rule as a full tile: by vectors, the
    /// last one of a row masked, where AVX-512 has masked loads and stores. Why: with n = 20 (the HyperVAE generators'
    /// products) every tile is an edge tile, and the element-by-element loop took 12 % of the call under <c>perf</c>.
    /// </summary>
    private static void StoreEdge(ref T tile, ref T c, int ldc, int rows, int cols, T beta)
    {
        var mode = MicroKernelMath.StoreMode(beta);
        if (Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            StoreEdge512(ref tile, ref c, ldc, rows, cols, beta, mode);
            return;
        }

        for (var r = 0; r < rows; r++)
        {
            ref var from = ref Unsafe.Add(ref tile, r * Columns);
            ref var to = ref Unsafe.Add(ref c, r * ldc);
            for (var j = 0; j < cols; j++)
            {
                var value = Unsafe.Add(ref from, j);
                ref var target = ref Unsafe.Add(ref to, j);
                target = mode == MicroKernelMath.Overwrite ? value : mode == MicroKernelMath.Accumulate ? value + target : value + beta * target;
            }
        }
    }

    /// <summary><see cref="StoreEdge"/> with AVX-512: C is read (β ≠ 0) and written only at the valid columns, through masks.</summary>
    private static unsafe void StoreEdge512(ref T tile, ref T c, int ldc, int rows, int cols, T beta, int mode)
    {
        var width = Vector512<T>.Count;
        var vb = Vector512.Create(beta);
        fixed (T* first = &c) // C may be any array (not pinned): the masked loads and stores take addresses
        {
            for (var r = 0; r < rows; r++)
            {
                ref var from = ref Unsafe.Add(ref tile, r * Columns);
                var to = first + (nint)r * ldc;
                for (var j = 0; j < cols; j += width)
                {
                    var mask = Vector512.LessThan(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(cols - j)));
                    var value = Vector512.LoadUnsafe(ref from, (nuint)j);
                    if (mode != MicroKernelMath.Overwrite)
                    {
                        var old = MaskLoad(to + j, mask);
                        value = mode == MicroKernelMath.Accumulate ? value + old : value + vb * old;
                    }

                    MaskStore(to + j, mask, value);
                }
            }
        }
    }

    private static unsafe Vector512<T> MaskLoad(T* address, Vector512<T> mask) =>
        typeof(T) == typeof(float)
            ? Avx512F.MaskLoad((float*)address, mask.AsSingle(), Vector512<float>.Zero).As<float, T>()
            : Avx512F.MaskLoad((double*)address, mask.AsDouble(), Vector512<double>.Zero).As<double, T>();

    private static unsafe void MaskStore(T* address, Vector512<T> mask, Vector512<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Avx512F.MaskStore((float*)address, mask.AsSingle(), value.AsSingle());
        }
        else
        {
            Avx512F.MaskStore((double*)address, mask.AsDouble(), value.AsDouble());
        }
    }
}
