using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu;

/// <summary>
/// 2×2 max-pooling that also records which element of each window won, and its inverse: for a convolution followed by a
/// pool (<see cref="IBackend.Conv2dMaxPoolForward"/>), so backward needs only the pooled gradient and the winners, not
/// the full-size convolution output. The winner code is 0…3 for (top-left, top-right, bottom-left, bottom-right), the
/// first maximal element under a strict &gt; as in <see cref="MaxPoolKernels"/> (a NaN is never taken and never
/// replaced), stored as a value of the data's type. Unpooling writes each pooled gradient at its winner and 0 at the
/// other three. Float32 with AVX-512 handles 16 windows per step: even and odd columns are split by permutes, compared
/// as four vectors, and merged back the same way.
/// </summary>
internal static class PoolArgmaxKernels
{
    /// <summary>
    /// Pooled outputs per thread chunk at least. At 16,384 the hypernetwork's per-net unpool of its second layer
    /// (25,088 windows, 0.1 ms) ran on one thread, 32 times a step; a pool round trip costs a few microseconds.
    /// </summary>
    private const int MinOutputsPerChunk = 1 << 12;

    private const int Lanes = 16;

    private static readonly Vector512<int> InterleaveLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> InterleaveHigh = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    private static bool Vectorized<T>() => typeof(T) == typeof(float) && Avx512F.IsSupported;

    public static void Forward<T>(T[] x, int xo, T[] pooled, int po, T[] code, int co, int planes, int h, int w, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, planes, MinPlanes(h, w), new Body<T>(x, xo, pooled, po, code, co, h, w, unpool: false), alignment: 1);

    public static void Unpool<T>(T[] dpooled, int dpo, T[] code, int co, T[] dy, int dyo, int planes, int h, int w, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, planes, MinPlanes(h, w), new Body<T>(dy, dyo, dpooled, dpo, code, co, h, w, unpool: true), alignment: 1);

    /// <summary>Pools planes [planes, h, w] of <paramref name="x"/> on the calling thread.</summary>
    private static void ForwardPlanes<T>(Span<T> x, Span<T> pooled, Span<T> code, int planes, int h, int w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = w / 2, rows = planes * (h / 2);
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < ow; j += Lanes)
            {
                var n = Math.Min(Lanes, ow - j);
                var at = r * ow + j;
                var top = 2 * r * w + 2 * j;
                if (Vectorized<T>())
                {
                    // NOTE: a block reads 32 columns and writes 16 windows; past a row's end that is the next row, which is
                    // read as it is now or written later in this loop, so only the end of the span needs the copies
                    PoolBlock(AsFloat(x), top, w, AsFloat(pooled), AsFloat(code), at, n);
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        var left = top + 2 * i;
                        (pooled[at + i], code[at + i]) = Window(x[left], x[left + 1], x[left + w], x[left + w + 1]);
                    }
                }
            }
        }
    }

    /// <summary>Unpools onto planes [planes, h, w] of <paramref name="dy"/> on the calling thread.</summary>
    public static void UnpoolPlanes<T>(Span<T> dpooled, Span<T> code, Span<T> dy, int planes, int h, int w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = w / 2, rows = planes * (h / 2);
        for (var r = 0; r < rows; r++)
        {
            // NOTE: blocks from the row's end backwards: a partial last block's stores run past the top row into the bottom
            // one, which the blocks before it then write over with their own values
            for (var j = (ow - 1) / Lanes * Lanes; j >= 0; j -= Lanes)
            {
                var n = Math.Min(Lanes, ow - j);
                var at = r * ow + j;
                if (Vectorized<T>())
                {
                    UnpoolBlock(AsFloat(dpooled), AsFloat(code), at, n, AsFloat(dy), 2 * r * w + 2 * j, w);
                }
                else
                {
                    for (var i = 0; i < n; i++)
                    {
                        var g = dpooled[at + i];
                        var c = int.CreateTruncating(code[at + i]);
                        var top = 2 * r * w + 2 * (j + i);
                        dy[top] = c == 0 ? g : T.Zero;
                        dy[top + 1] = c == 1 ? g : T.Zero;
                        dy[top + w] = c == 2 ? g : T.Zero;
                        dy[top + w + 1] = c == 3 ? g : T.Zero;
                    }
                }
            }
        }
    }

    private static int MinPlanes(int h, int w) => Math.Max(1, MinOutputsPerChunk / Math.Max(1, h * w / 4));

    private static (T Value, T Code) Window<T>(T a, T b, T c, T d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (value, code) = (a, T.Zero);
        if (b > value)
        {
            (value, code) = (b, T.One);
        }

        if (c > value)
        {
            (value, code) = (c, T.CreateTruncating(2));
        }

        if (d > value)
        {
            (value, code) = (d, T.CreateTruncating(3));
        }

        return (value, code);
    }

    /// <summary>Windows [at, at + n) of the row pair whose top row starts at <paramref name="top"/>; n ≤ 16.</summary>
    private static void PoolBlock(Span<float> x, int top, int w, Span<float> pooled, Span<float> code, int at, int n)
    {
        Vector512<float> t0, t1, b0, b1;
        if (top + w + 2 * Lanes <= x.Length)
        {
            ref var t = ref x[top];
            (t0, t1) = (Vector512.LoadUnsafe(ref t), Vector512.LoadUnsafe(ref t, Lanes));
            (b0, b1) = (Vector512.LoadUnsafe(ref t, (nuint)w), Vector512.LoadUnsafe(ref t, (nuint)(w + Lanes)));
        }
        else
        {
            Span<float> rows = stackalloc float[4 * Lanes];
            x.Slice(top, 2 * n).CopyTo(rows);
            x.Slice(top + w, 2 * n).CopyTo(rows[(2 * Lanes)..]);
            (t0, t1) = (Vector512.Create<float>(rows), Vector512.Create<float>(rows[Lanes..]));
            (b0, b1) = (Vector512.Create<float>(rows[(2 * Lanes)..]), Vector512.Create<float>(rows[(3 * Lanes)..]));
        }

        var (best, index) = Windows(t0, t1, b0, b1);
        if (at + Lanes <= pooled.Length && at + Lanes <= code.Length)
        {
            best.StoreUnsafe(ref pooled[at]);
            index.StoreUnsafe(ref code[at]);
        }
        else
        {
            Span<float> block = stackalloc float[2 * Lanes];
            best.CopyTo(block);
            index.CopyTo(block[Lanes..]);
            block[..n].CopyTo(pooled[at..]);
            block.Slice(Lanes, n).CopyTo(code[at..]);
        }
    }

    /// <summary>The code of a window a ReLU after the pool cut to 0: no element is its winner, so unpooling routes nothing to it.</summary>
    public const int NoWinner = 4;

    /// <summary>
    /// A ReLU after the pool, on 16 windows: those whose maximum is not positive get 0 (NaN kept, as the ReLU keeps it, and
    /// −0 made +0) and code <see cref="NoWinner"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Rectify(ref Vector512<float> best, ref Vector512<float> code)
    {
        code = Vector512.ConditionalSelect(Vector512.GreaterThan(best, Vector512<float>.Zero), code, Vector512.Create((float)NoWinner));
        best = Vector512.Max(best, Vector512<float>.Zero);
    }

    /// <summary><see cref="Rectify(ref Vector512{float}, ref Vector512{float})"/> over spans, for the routes that pool from a full-size output.</summary>
    public static void Rectify<T>(Span<T> pooled, Span<T> code) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < pooled.Length; i++)
        {
            if (!(pooled[i] > T.Zero))
            {
                code[i] = T.CreateTruncating(NoWinner);
                pooled[i] = T.IsNaN(pooled[i]) ? pooled[i] : T.Zero;
            }
        }
    }

    /// <summary>
    /// db[c] = Σ over images i and windows w of dpooled[i, c, w] where the window has a winner (code &lt; 4): the bias
    /// gradient of a convolution under the pool (and a ReLU). Each channel is summed by one chunk, image by image.
    /// </summary>
    public static void BiasGradient<T>(T[] dpooled, int dpo, T[] code, int co, T[] db, int dbo, int images, int channels, int windows, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, channels, Math.Max(1, MinOutputsPerChunk / Math.Max(1, images * windows)),
            new BiasGradientBody<T>(dpooled, dpo, code, co, db, dbo, images, channels, windows), alignment: 1);

    private readonly struct BiasGradientBody<T>(T[] dpooled, int dpo, T[] code, int co, T[] db, int dbo, int images, int channels, int windows) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            var limit = T.CreateTruncating(NoWinner);
            for (var c = start; c < end; c++)
            {
                var sum = T.Zero;
                for (var i = 0; i < images; i++)
                {
                    var at = (i * channels + c) * windows;
                    var g = dpooled.AsSpan(dpo + at, windows);
                    var k = code.AsSpan(co + at, windows);
                    var w = 0;
                    if (Vector512.IsHardwareAccelerated)
                    {
                        var acc = Vector512<T>.Zero;
                        for (; w + Vector512<T>.Count <= windows; w += Vector512<T>.Count)
                        {
                            var has = Vector512.LessThan(Vector512.Create<T>(k.Slice(w, Vector512<T>.Count)), Vector512.Create(limit));
                            acc += Vector512.ConditionalSelect(has, Vector512.Create<T>(g.Slice(w, Vector512<T>.Count)), Vector512<T>.Zero);
                        }

                        sum += Vector512.Sum(acc);
                    }

                    for (; w < windows; w++)
                    {
                        sum += k[w] < limit ? g[w] : T.Zero;
                    }
                }

                db[dbo + c] = sum;
            }
        }
    }

    /// <summary>
    /// The 16 windows of a row pair given as 32 columns each: top0 then top1 on top, bottom0 then bottom1 below (window i
    /// covers columns 2i and 2i + 1). Returns each window's maximum and winner code.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Best, Vector512<float> Code) Windows(Vector512<float> top0, Vector512<float> top1, Vector512<float> bottom0, Vector512<float> bottom1)
    {
        // NOTE: constants here, not static readonly fields or properties: in a register tile that inlines this
        // (WideConvTiles.Forward with PooledWideTileStore), a static field's class-initialisation check (a possible call) made the JIT keep the
        // accumulators on the stack, and property getters went uninlined once the tile's inlining budget ran out
        var even = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
        var odd = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
        var best = Avx512F.PermuteVar16x32x2(top0, even, top1);
        var index = Vector512<float>.Zero;
        Take(Avx512F.PermuteVar16x32x2(top0, odd, top1), Vector512<float>.One, ref best, ref index);
        Take(Avx512F.PermuteVar16x32x2(bottom0, even, bottom1), Vector512.Create(2f), ref best, ref index);
        Take(Avx512F.PermuteVar16x32x2(bottom0, odd, bottom1), Vector512.Create(3f), ref best, ref index);
        return (best, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Take(Vector512<float> candidate, Vector512<float> code, ref Vector512<float> best, ref Vector512<float> index)
    {
        var greater = Vector512.GreaterThan(candidate, best);
        best = Vector512.ConditionalSelect(greater, candidate, best);
        index = Vector512.ConditionalSelect(greater, code, index);
    }

    /// <summary>Windows [at, at + n) onto the row pair whose top row starts at <paramref name="top"/> in dy; n ≤ 16.</summary>
    private static void UnpoolBlock(Span<float> dpooled, Span<float> code, int at, int n, Span<float> dy, int top, int w)
    {
        Vector512<float> g, c;
        if (at + Lanes <= dpooled.Length && at + Lanes <= code.Length)
        {
            (g, c) = (Vector512.LoadUnsafe(ref dpooled[at]), Vector512.LoadUnsafe(ref code[at]));
        }
        else
        {
            Span<float> block = stackalloc float[2 * Lanes];
            dpooled.Slice(at, n).CopyTo(block);
            code.Slice(at, n).CopyTo(block[Lanes..]);
            (g, c) = (Vector512.Create<float>(block), Vector512.Create<float>(block[Lanes..]));
        }

        var zero = Vector512<float>.Zero;
        var a = Vector512.ConditionalSelect(Vector512.Equals(c, zero), g, zero);
        var b = Vector512.ConditionalSelect(Vector512.Equals(c, Vector512<float>.One), g, zero);
        var d = Vector512.ConditionalSelect(Vector512.Equals(c, Vector512.Create(2f)), g, zero);
        var e = Vector512.ConditionalSelect(Vector512.Equals(c, Vector512.Create(3f)), g, zero);
        var (t0, t1) = (Avx512F.PermuteVar16x32x2(a, InterleaveLow, b), Avx512F.PermuteVar16x32x2(a, InterleaveHigh, b));
        var (b0, b1) = (Avx512F.PermuteVar16x32x2(d, InterleaveLow, e), Avx512F.PermuteVar16x32x2(d, InterleaveHigh, e));
        if (top + w + 2 * Lanes <= dy.Length)
        {
            // NOTE: top first: its spill past 2n columns lands in the bottom row, written next (or by the blocks before it)
            ref var t = ref dy[top];
            t0.StoreUnsafe(ref t);
            t1.StoreUnsafe(ref t, Lanes);
            b0.StoreUnsafe(ref t, (nuint)w);
            b1.StoreUnsafe(ref t, (nuint)(w + Lanes));
        }
        else
        {
            Span<float> rows = stackalloc float[4 * Lanes];
            t0.CopyTo(rows);
            t1.CopyTo(rows[Lanes..]);
            b0.CopyTo(rows[(2 * Lanes)..]);
            b1.CopyTo(rows[(3 * Lanes)..]);
            rows[..(2 * n)].CopyTo(dy[top..]);
            rows.Slice(2 * Lanes, 2 * n).CopyTo(dy[(top + w)..]);
        }
    }

    private static Span<float> AsFloat<T>(Span<T> span) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(span);

    /// <summary>Planes [start, end): pooling reads <paramref name="full"/> and writes pooled and code; unpooling the reverse.</summary>
    private readonly struct Body<T>(T[] full, int fo, T[] pooled, int po, T[] code, int co, int h, int w, bool unpool) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            int hw = h * w, quarter = h / 2 * (w / 2), planes = end - start;
            var dense = full.AsSpan(fo + start * hw, planes * hw);
            var p = pooled.AsSpan(po + start * quarter, planes * quarter);
            var c = code.AsSpan(co + start * quarter, planes * quarter);
            if (unpool)
            {
                UnpoolPlanes(p, c, dense, planes, h, w);
            }
            else
            {
                ForwardPlanes(dense, p, c, planes, h, w);
            }
        }
    }
}
