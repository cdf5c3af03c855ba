using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Weight gradient for layers with few taps per output (C·R·S, e.g. a 3 × 3 kernel on one input channel) as dot
/// products along the pixels (float32, AVX-512): dw[k, j] = Σ_pixels dy[k, pixel] · col[j, pixel], with dy read in
/// place (NCHW) and each chunk's im2col rows beside it, 16 pixels a vector, 2 output channels × 9 taps in registers.
/// Why: the GEMM route made one GEMM per image of [K, P·Q] · [P·Q, C·R·S] with C·R·S = 9: every call packed dy and the
/// transposed columns for a product of 9 columns, and the conv VAE's 1 → 32 stride-2 layer ran at about 20 GFLOP/s
/// (0.5–0.8× PyTorch). Here nothing is packed or transposed.
/// </summary>
internal static class FewTapWeightGradient
{
    private const int Width = 16;

    /// <summary>Output channels per register tile.</summary>
    public const int Channels = 2;

    /// <summary>Taps (C·R·S entries) per register tile.</summary>
    public const int Taps = 9;

    /// <summary>Taps per output from which the GEMM route is kept: each block of 9 taps reads dy once more.</summary>
    public const int MaxTaps = 3 * Taps;

    /// <summary>float32 with AVX-512, at most <see cref="MaxTaps"/> taps, and at least one whole vector of pixels per image.</summary>
    public static bool Applies(ConvGeometry g) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && g.N > 0 && g.K > 0
        && (long)g.C * g.R * g.S <= MaxTaps && g.P * g.Q >= Width;

    /// <summary>
    /// dw, and db when given (from the same dy loads); summed per chunk of images, then over the chunks in order, so the
    /// result does not depend on the thread count. Each chunk's partial is [dw (K·C·R·S), db (K)].
    /// </summary>
    public static void Run(ConvGeometry g, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo, float[]? db, int dbo, WorkerPool workers)
    {
        var images = ConvChunking.ImagesPerChunk(g);
        var chunks = ConvChunking.Chunks(g, images);
        var length = g.WeightLength + g.K;
        var partials = ConvScratch<float>.Partials(chunks * length);
        CpuParallel.ForEach(workers, chunks, new FewTapWeightBody(g, images, x, xo, dy, dyo, partials));
        var sums = partials.AsSpan(0, length); // summed in place over chunk 0
        ConvChunking.SumPartials(partials, chunks, length, sums);
        sums[..g.WeightLength].CopyTo(dw.AsSpan(dwo, g.WeightLength));
        if (db is not null)
        {
            sums[g.WeightLength..].CopyTo(db.AsSpan(dbo, g.K));
        }
    }

    /// <summary>
    /// acc[k·9 + j] += Σ_i Σ_p dy[i·dyImage + kRows[k] + p] · col[i·pixels + tapRows[j] + p] (lane-wise) for the 2 channels of
    /// <paramref name="kRows"/> and the 9 taps of <paramref name="tapRows"/> (offsets, repeated where fewer are wanted: a
    /// repeated one computes the same sum again), and acc[18 + k] += Σ_i Σ_p dy[i·dyImage + kRows[k] + p]: the bias gradient,
    /// from the dy vectors already loaded. An image's last vector, when its pixels are not whole vectors, overlaps
    /// the one before; its lanes already summed are zeroed in both operands. That step is written out apart from the loop, so the
    /// whole vectors load with no mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(
        ref float dy, nint dyImage, ReadOnlySpan<int> kRows, ref float col, ReadOnlySpan<int> tapRows, int images, int pixels,
        Span<Vector512<float>> acc)
    {
        Vectors(ref dy, dyImage, kRows, ref col, tapRows, images, pixels, 0, pixels / Width, default(AllLanes), acc);
        if (pixels % Width != 0)
        {
            Vectors(ref dy, dyImage, kRows, ref col, tapRows, images, pixels, pixels - Width, 1, new LastLanes(TailMask(pixels)), acc);
        }
    }

    /// <summary>
    /// <see cref="Tile"/>'s vectors from pixel <paramref name="first"/> on, <paramref name="perImage"/> of them per image
    /// (every whole vector, or the overlapping last one with <see cref="LastLanes"/>): one loop over all images' vectors,
    /// the image's pointers moved on after its last. Why one loop, in a method of its own per lane mask: with a loop per
    /// image and the masked step in the same method, the JIT wrote every accumulator to the stack after each FMA (seen
    /// with <c>DOTNET_JitDisasm</c>), and the stores bounded the loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
    private static void Vectors<TLanes>(
        ref float dy, nint dyImage, ReadOnlySpan<int> kRows, ref float col, ReadOnlySpan<int> tapRows, int images, int pixels,
        nint first, int perImage, TLanes lanes, Span<Vector512<float>> acc)
        where TLanes : struct, ILanes
    {
        if (perImage == 0 || images == 0)
        {
            return;
        }

        nint k0 = kRows[0], k1 = kRows[1];
        nint t0 = tapRows[0], t1 = tapRows[1], t2 = tapRows[2], t3 = tapRows[3], t4 = tapRows[4];
        nint t5 = tapRows[5], t6 = tapRows[6], t7 = tapRows[7], t8 = tapRows[8];
        Vector512<float> a00 = acc[0], a01 = acc[1], a02 = acc[2], a03 = acc[3], a04 = acc[4], a05 = acc[5], a06 = acc[6], a07 = acc[7], a08 = acc[8];
        Vector512<float> a10 = acc[9], a11 = acc[10], a12 = acc[11], a13 = acc[12], a14 = acc[13], a15 = acc[14], a16 = acc[15], a17 = acc[16], a18 = acc[17];
        Vector512<float> sum0 = acc[18], sum1 = acc[19];
        ref var d = ref dy;
        ref var c = ref col;
        var (p, end) = (first, first + (nint)perImage * Width);
        for (var n = images * perImage; n > 0; n--)
        {
            {
                var d0 = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref d, k0 + p)));
                var d1 = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref d, k1 + p)));
                (sum0, sum1) = (sum0 + d0, sum1 + d1);
                var x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t0 + p)));
                a00 = Vector512.FusedMultiplyAdd(d0, x, a00); a10 = Vector512.FusedMultiplyAdd(d1, x, a10);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t1 + p)));
                a01 = Vector512.FusedMultiplyAdd(d0, x, a01); a11 = Vector512.FusedMultiplyAdd(d1, x, a11);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t2 + p)));
                a02 = Vector512.FusedMultiplyAdd(d0, x, a02); a12 = Vector512.FusedMultiplyAdd(d1, x, a12);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t3 + p)));
                a03 = Vector512.FusedMultiplyAdd(d0, x, a03); a13 = Vector512.FusedMultiplyAdd(d1, x, a13);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t4 + p)));
                a04 = Vector512.FusedMultiplyAdd(d0, x, a04); a14 = Vector512.FusedMultiplyAdd(d1, x, a14);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t5 + p)));
                a05 = Vector512.FusedMultiplyAdd(d0, x, a05); a15 = Vector512.FusedMultiplyAdd(d1, x, a15);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t6 + p)));
                a06 = Vector512.FusedMultiplyAdd(d0, x, a06); a16 = Vector512.FusedMultiplyAdd(d1, x, a16);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t7 + p)));
                a07 = Vector512.FusedMultiplyAdd(d0, x, a07); a17 = Vector512.FusedMultiplyAdd(d1, x, a17);
                x = lanes.Apply(Vector512.LoadUnsafe(ref Unsafe.Add(ref c, t8 + p)));
                a08 = Vector512.FusedMultiplyAdd(d0, x, a08); a18 = Vector512.FusedMultiplyAdd(d1, x, a18);
            }

            p += Width;
            if (p == end)
            {
                p = first;
                d = ref Unsafe.Add(ref d, dyImage);
                c = ref Unsafe.Add(ref c, (nint)pixels);
            }
        }

        (acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7], acc[8]) = (a00, a01, a02, a03, a04, a05, a06, a07, a08);
        (acc[9], acc[10], acc[11], acc[12], acc[13], acc[14], acc[15], acc[16], acc[17]) = (a10, a11, a12, a13, a14, a15, a16, a17, a18);
        (acc[18], acc[19]) = (sum0, sum1);
    }

    /// <summary>Which lanes of a loaded vector count: a struct type argument, so each kind compiles to its own loop.</summary>
    private interface ILanes
    {
        Vector512<float> Apply(Vector512<float> v);
    }

    /// <summary>Every lane (a whole vector): no instruction at all.</summary>
    private readonly struct AllLanes : ILanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Apply(Vector512<float> v) => v;
    }

    /// <summary>The lanes of the overlapping last vector not yet summed; the others read as 0 in both operands.</summary>
    private readonly struct LastLanes(Vector512<float> mask) : ILanes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector512<float> Apply(Vector512<float> v) => v & mask;
    }

    /// <summary>All bits set in the last <c>pixels mod 16</c> lanes: the lanes of the overlapping last vector not yet summed.</summary>
    /// <remarks>Inlined: as a call after the accumulators are loaded, every zmm register is the callee's, so all 20 were spilled around it.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailMask(int pixels)
    {
        var fresh = pixels % Width;
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return Vector512.GreaterThanOrEqual(lanes, Vector512.Create(Width - fresh)).AsSingle();
    }
}

/// <summary>
/// One chunk's dw [K, C·R·S] and db [K] by <see cref="FewTapWeightGradient.Tile"/>s, into its slot of the partials. Images go in
/// groups whose 9 tap rows fit in L1 (<see cref="GroupFloats"/>); each group runs every channel pair over them, with
/// the pairs' vector accumulators kept in memory between groups and summed across lanes once per chunk.
/// Why: with the whole chunk per channel pair, every pair re-read the chunk's columns (92 KB in the conv VAE) from L2.
/// </summary>
internal readonly struct FewTapWeightBody(ConvGeometry g, int imagesPerChunk, float[] x, int xo, float[] dy, int dyo, float[] partials) : IRangeBody
{
    /// <summary>Tap-row floats a group of images reads per tap block (24 KiB: half of L1).</summary>
    public const int GroupFloats = 6144;

    public void Run(int start, int end)
    {
        const int Channels = FewTapWeightGradient.Channels, Taps = FewTapWeightGradient.Taps, PerTile = Channels * Taps + Channels;
        int taps = g.C * g.R * g.S, pq = g.P * g.Q, channelBlocks = (g.K + Channels - 1) / Channels;
        var group = Math.Max(1, GroupFloats / (Taps * pq));
        Span<int> kRows = stackalloc int[Channels];
        Span<int> tapRows = stackalloc int[Taps];
        var accumulators = MemoryMarshal.Cast<float, Vector512<float>>(
            ConvScratch<float>.Staging(channelBlocks * PerTile * Vector512<float>.Count).AsSpan(0, channelBlocks * PerTile * Vector512<float>.Count));
        ConvScratch<float>.Columns(taps * imagesPerChunk * pq); // a whole chunk's, up front (see ChannelsLastWeightBody)
        for (var chunk = start; chunk < end; chunk++)
        {
            var images = ImageChunk.Of(g, imagesPerChunk, chunk);
            var columns = images.Count * pq;
            var col = images.Columns(g, x, xo); // [taps, columns], image i at column i·pq
            var partial = partials.AsSpan(chunk * (g.WeightLength + g.K), g.WeightLength + g.K);
            for (var j0 = 0; j0 < taps; j0 += Taps)
            {
                // a block past the last tap repeats the last tap; its sums are not stored
                for (var t = 0; t < Taps; t++)
                {
                    tapRows[t] = Math.Min(j0 + t, taps - 1) * columns;
                }

                accumulators.Clear();
                for (var i0 = 0; i0 < images.Count; i0 += group)
                {
                    var count = Math.Min(group, images.Count - i0);
                    // the next group's dy, a slice per channel block: each block reads its two channels' rows of each image,
                    // runs too short for the hardware prefetcher, from a dy that in a training step was written long before
                    var nextCount = Math.Min(group, images.Count - i0 - group);
                    var nextDy = nextCount > 0 ? dy.AsSpan(dyo + (images.First + i0 + group) * g.K * pq, nextCount * g.K * pq) : default;
                    for (var b = 0; b < channelBlocks; b++)
                    {
                        Prefetch.Slice<float>(nextDy, b, channelBlocks);
                        for (var t = 0; t < Channels; t++)
                        {
                            kRows[t] = Math.Min(b * Channels + t, g.K - 1) * pq;
                        }

                        FewTapWeightGradient.Tile(
                            ref dy[dyo + (images.First + i0) * g.K * pq], (nint)g.K * pq, kRows, ref col[i0 * pq], tapRows, count, pq,
                            accumulators.Slice(b * PerTile, PerTile));
                    }
                }

                for (var k = 0; k < g.K; k++)
                {
                    var (b, kk) = Math.DivRem(k, Channels);
                    for (var j = j0; j < Math.Min(j0 + Taps, taps); j++)
                    {
                        partial[k * taps + j] = Vector512.Sum(accumulators[b * PerTile + kk * Taps + j - j0]);
                    }

                    if (j0 == 0) // every tap block sums the same dy: the first one's sums are the bias gradient
                    {
                        partial[g.WeightLength + k] = Vector512.Sum(accumulators[b * PerTile + Channels * Taps + kk]);
                    }
                }
            }
        }
    }
}
