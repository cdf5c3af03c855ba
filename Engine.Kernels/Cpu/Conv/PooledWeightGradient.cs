using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The weight gradient of a 5×5 stride-1 convolution followed by a 2×2 max-pool (<see cref="PooledConv"/>), from the pooled
/// gradient and the winners, with output channels along the vectors (float32, AVX-512). Why: the dense route
/// (<see cref="WideConv.BackwardWeightPooled"/>) unpools dy and multiplies every pixel, three in four of them by zero, and
/// its pixel-wide vectors need masked loads at row ends; on the hypernetwork's first layer (1→32 on 28×28) it ran at
/// about a third of the machine's FMA rate. Here each window contributes dpooled at its winner only: per window and 16
/// channels, the four candidate positions a get D_a = dpooled where the winner is a (else 0, computed in registers from the
/// pooled gradient and winners, transposed to [window, K]), and every input value of the window's 6×6 neighbourhood is broadcast once and multiplied into the taps t it reaches from each position,
/// g[t] += input[a + t]·D_a: 36 broadcasts and 4 loads feed 100 FMAs into 25 accumulators. The multiply-adds are the dense
/// route's (the zeros included), but they run at the FMA units' pace.
/// </summary>
internal static class PooledWeightGradient
{
    /// <summary>Output channels per vector.</summary>
    internal const int Width = 16;

    /// <summary>Taps of the 5×5 kernel.</summary>
    internal const int Taps = 25;

    public static bool Applies(ConvGeometry g) =>
        DirectConv.IsWideCandidate(g) && g.R == 5 && g.S == 5 && g.StrideH == 1 && g.K % Width == 0 && g.P % 2 == 0 && g.Q % 2 == 0;

    /// <summary>dw, and db when given (summed from each chunk's channels-last pooled gradient, <see cref="ChannelsLastBias"/>).</summary>
    public static void Run(ConvGeometry g, float[] x, int xo, float[] dpooled, int dpo, float[] code, int co, float[] dw, int dwo, float[]? db, int dbo, WorkerPool workers)
    {
        var plane = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW);
        var padded = ConvScratch<float>.Padded(g.N * g.C * plane);
        var channelsLast = ConvScratch<float>.Transposed(2 * g.N * (g.P / 2) * (g.Q / 2) * g.K);
        // NOTE: chunks of images as DirectConv's weight gradient has them, each prepared and multiplied on one thread; the
        // chunks' sums are added in order, so the result does not depend on the thread count
        var images = DirectConv.WeightImagesPerChunk(g);
        var chunks = (g.N + images - 1) / images;
        var perChunk = g.C * g.K * Taps;
        var biasAt = db is null ? -1 : chunks * perChunk;
        var partials = ConvScratch<float>.Partials(chunks * perChunk + (db is null ? 0 : chunks * g.K)); // [chunk][c][channel vector][tap][16], then [chunk][K]
        CpuParallel.ForEach(workers, chunks, new PooledWeightChunkBody(g, x, xo, dpooled, dpo, code, co, padded, channelsLast, partials, biasAt, images));
        if (db is not null)
        {
            ConvChunking.SumPartials<float>(partials.AsSpan(biasAt, chunks * g.K), chunks, g.K, db.AsSpan(dbo, g.K));
        }

        var sums = partials.AsSpan(0, perChunk);
        ConvChunking.SumPartials<float>(partials, chunks, perChunk, sums);

        for (var c = 0; c < g.C; c++)
        {
            for (var k = 0; k < g.K; k++)
            {
                var task = sums.Slice((c * (g.K / Width) + k / Width) * Taps * Width, Taps * Width);
                for (var t = 0; t < Taps; t++)
                {
                    dw[dwo + (k * g.C + c) * Taps + t] = task[t * Width + k % Width];
                }
            }
        }
    }

    /// <summary>
    /// g[t, lane] = Σ over images n, window rows i and columns j, positions a = (ar, ac): input[n·image + (2i + ar)·rowStride
    /// + 2j + ac + t_r·rowStride + t_c] · D_a[lane], where D_a is the window's pooled gradient (at <paramref name="gradient"/>,
    /// windows <paramref name="window"/> floats apart in order) where its winner (at <paramref name="winners"/>, alike) is a,
    /// else 0. Stored as output[t·16 + lane].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(ref float input, nint image, nint rowStride, int images, int rows, int cols, ref float gradient, ref float winners, nint window, ref float output)
    {
        Vector512<float> g00 = default, g01 = default, g02 = default, g03 = default, g04 = default;
        Vector512<float> g05 = default, g06 = default, g07 = default, g08 = default, g09 = default;
        Vector512<float> g10 = default, g11 = default, g12 = default, g13 = default, g14 = default;
        Vector512<float> g15 = default, g16 = default, g17 = default, g18 = default, g19 = default;
        Vector512<float> g20 = default, g21 = default, g22 = default, g23 = default, g24 = default;
        Vector512<float> b;
        ref var d = ref gradient;
        ref var w = ref winners;
        for (var n = 0; n < images; n++)
        {
            for (var i = 0; i < rows; i++)
            {
                ref var s = ref Unsafe.Add(ref input, n * image + 2 * i * rowStride);
                for (var j = 0; j < cols; j++)
                {
                    var value = Vector512.LoadUnsafe(ref d);
                    var winner = Vector512.LoadUnsafe(ref w);
                    var d0 = Vector512.ConditionalSelect(Vector512.Equals(winner, Vector512<float>.Zero), value, Vector512<float>.Zero);
                    var d1 = Vector512.ConditionalSelect(Vector512.Equals(winner, Vector512<float>.One), value, Vector512<float>.Zero);
                    var d2 = Vector512.ConditionalSelect(Vector512.Equals(winner, Vector512.Create(2f)), value, Vector512<float>.Zero);
                    var d3 = Vector512.ConditionalSelect(Vector512.Equals(winner, Vector512.Create(3f)), value, Vector512<float>.Zero);
                    b = Vector512.Create(s);
                    g00 = Vector512.FusedMultiplyAdd(b, d0, g00);
                    b = Vector512.Create(Unsafe.Add(ref s, 1));
                    g01 = Vector512.FusedMultiplyAdd(b, d0, g01);
                    g00 = Vector512.FusedMultiplyAdd(b, d1, g00);
                    b = Vector512.Create(Unsafe.Add(ref s, 2));
                    g02 = Vector512.FusedMultiplyAdd(b, d0, g02);
                    g01 = Vector512.FusedMultiplyAdd(b, d1, g01);
                    b = Vector512.Create(Unsafe.Add(ref s, 3));
                    g03 = Vector512.FusedMultiplyAdd(b, d0, g03);
                    g02 = Vector512.FusedMultiplyAdd(b, d1, g02);
                    b = Vector512.Create(Unsafe.Add(ref s, 4));
                    g04 = Vector512.FusedMultiplyAdd(b, d0, g04);
                    g03 = Vector512.FusedMultiplyAdd(b, d1, g03);
                    b = Vector512.Create(Unsafe.Add(ref s, 5));
                    g04 = Vector512.FusedMultiplyAdd(b, d1, g04);
                    b = Vector512.Create(Unsafe.Add(ref s, 1 * rowStride + 0));
                    g05 = Vector512.FusedMultiplyAdd(b, d0, g05);
                    g00 = Vector512.FusedMultiplyAdd(b, d2, g00);
                    b = Vector512.Create(Unsafe.Add(ref s, 1 * rowStride + 1));
                    g06 = Vector512.FusedMultiplyAdd(b, d0, g06);
                    g05 = Vector512.FusedMultiplyAdd(b, d1, g05);
                    g01 = Vector512.FusedMultiplyAdd(b, d2, g01);
                    g00 = Vector512.FusedMultiplyAdd(b, d3, g00);
                    b = Vector512.Create(Unsafe.Add(ref s, 1 * rowStride + 2));
                    g07 = Vector512.FusedMultiplyAdd(b, d0, g07);
                    g06 = Vector512.FusedMultiplyAdd(b, d1, g06);
                    g02 = Vector512.FusedMultiplyAdd(b, d2, g02);
                    g01 = Vector512.FusedMultiplyAdd(b, d3, g01);
                    b = Vector512.Create(Unsafe.Add(ref s, 1 * rowStride + 3));
                    g08 = Vector512.FusedMultiplyAdd(b, d0, g08);
                    g07 = Vector512.FusedMultiplyAdd(b, d1, g07);
                    g03 = Vector512.FusedMultiplyAdd(b, d2, g03);
                    g02 = Vector512.FusedMultiplyAdd(b, d3, g02);
                    b = Vector512.Create(Unsafe.Add(ref s, 1 * rowStride + 4));
                    g09 = Vector512.FusedMultiplyAdd(b, d0, g09);
                    g08 = Vector512.FusedMultiplyAdd(b, d1, g08);
                    g04 = Vector512.FusedMultiplyAdd(b, d2, g04);
                    g03 = Vector512.FusedMultiplyAdd(b, d3, g03);
                    b = Vector512.Create(Unsafe.Add(ref s, 1 * rowStride + 5));
                    g09 = Vector512.FusedMultiplyAdd(b, d1, g09);
                    g04 = Vector512.FusedMultiplyAdd(b, d3, g04);
                    b = Vector512.Create(Unsafe.Add(ref s, 2 * rowStride + 0));
                    g10 = Vector512.FusedMultiplyAdd(b, d0, g10);
                    g05 = Vector512.FusedMultiplyAdd(b, d2, g05);
                    b = Vector512.Create(Unsafe.Add(ref s, 2 * rowStride + 1));
                    g11 = Vector512.FusedMultiplyAdd(b, d0, g11);
                    g10 = Vector512.FusedMultiplyAdd(b, d1, g10);
                    g06 = Vector512.FusedMultiplyAdd(b, d2, g06);
                    g05 = Vector512.FusedMultiplyAdd(b, d3, g05);
                    b = Vector512.Create(Unsafe.Add(ref s, 2 * rowStride + 2));
                    g12 = Vector512.FusedMultiplyAdd(b, d0, g12);
                    g11 = Vector512.FusedMultiplyAdd(b, d1, g11);
                    g07 = Vector512.FusedMultiplyAdd(b, d2, g07);
                    g06 = Vector512.FusedMultiplyAdd(b, d3, g06);
                    b = Vector512.Create(Unsafe.Add(ref s, 2 * rowStride + 3));
                    g13 = Vector512.FusedMultiplyAdd(b, d0, g13);
                    g12 = Vector512.FusedMultiplyAdd(b, d1, g12);
                    g08 = Vector512.FusedMultiplyAdd(b, d2, g08);
                    g07 = Vector512.FusedMultiplyAdd(b, d3, g07);
                    b = Vector512.Create(Unsafe.Add(ref s, 2 * rowStride + 4));
                    g14 = Vector512.FusedMultiplyAdd(b, d0, g14);
                    g13 = Vector512.FusedMultiplyAdd(b, d1, g13);
                    g09 = Vector512.FusedMultiplyAdd(b, d2, g09);
                    g08 = Vector512.FusedMultiplyAdd(b, d3, g08);
                    b = Vector512.Create(Unsafe.Add(ref s, 2 * rowStride + 5));
                    g14 = Vector512.FusedMultiplyAdd(b, d1, g14);
                    g09 = Vector512.FusedMultiplyAdd(b, d3, g09);
                    b = Vector512.Create(Unsafe.Add(ref s, 3 * rowStride + 0));
                    g15 = Vector512.FusedMultiplyAdd(b, d0, g15);
                    g10 = Vector512.FusedMultiplyAdd(b, d2, g10);
                    b = Vector512.Create(Unsafe.Add(ref s, 3 * rowStride + 1));
                    g16 = Vector512.FusedMultiplyAdd(b, d0, g16);
                    g15 = Vector512.FusedMultiplyAdd(b, d1, g15);
                    g11 = Vector512.FusedMultiplyAdd(b, d2, g11);
                    g10 = Vector512.FusedMultiplyAdd(b, d3, g10);
                    b = Vector512.Create(Unsafe.Add(ref s, 3 * rowStride + 2));
                    g17 = Vector512.FusedMultiplyAdd(b, d0, g17);
                    g16 = Vector512.FusedMultiplyAdd(b, d1, g16);
                    g12 = Vector512.FusedMultiplyAdd(b, d2, g12);
                    g11 = Vector512.FusedMultiplyAdd(b, d3, g11);
                    b = Vector512.Create(Unsafe.Add(ref s, 3 * rowStride + 3));
                    g18 = Vector512.FusedMultiplyAdd(b, d0, g18);
                    g17 = Vector512.FusedMultiplyAdd(b, d1, g17);
                    g13 = Vector512.FusedMultiplyAdd(b, d2, g13);
                    g12 = Vector512.FusedMultiplyAdd(b, d3, g12);
                    b = Vector512.Create(Unsafe.Add(ref s, 3 * rowStride + 4));
                    g19 = Vector512.FusedMultiplyAdd(b, d0, g19);
                    g18 = Vector512.FusedMultiplyAdd(b, d1, g18);
                    g14 = Vector512.FusedMultiplyAdd(b, d2, g14);
                    g13 = Vector512.FusedMultiplyAdd(b, d3, g13);
                    b = Vector512.Create(Unsafe.Add(ref s, 3 * rowStride + 5));
                    g19 = Vector512.FusedMultiplyAdd(b, d1, g19);
                    g14 = Vector512.FusedMultiplyAdd(b, d3, g14);
                    b = Vector512.Create(Unsafe.Add(ref s, 4 * rowStride + 0));
                    g20 = Vector512.FusedMultiplyAdd(b, d0, g20);
                    g15 = Vector512.FusedMultiplyAdd(b, d2, g15);
                    b = Vector512.Create(Unsafe.Add(ref s, 4 * rowStride + 1));
                    g21 = Vector512.FusedMultiplyAdd(b, d0, g21);
                    g20 = Vector512.FusedMultiplyAdd(b, d1, g20);
                    g16 = Vector512.FusedMultiplyAdd(b, d2, g16);
                    g15 = Vector512.FusedMultiplyAdd(b, d3, g15);
                    b = Vector512.Create(Unsafe.Add(ref s, 4 * rowStride + 2));
                    g22 = Vector512.FusedMultiplyAdd(b, d0, g22);
                    g21 = Vector512.FusedMultiplyAdd(b, d1, g21);
                    g17 = Vector512.FusedMultiplyAdd(b, d2, g17);
                    g16 = Vector512.FusedMultiplyAdd(b, d3, g16);
                    b = Vector512.Create(Unsafe.Add(ref s, 4 * rowStride + 3));
                    g23 = Vector512.FusedMultiplyAdd(b, d0, g23);
                    g22 = Vector512.FusedMultiplyAdd(b, d1, g22);
                    g18 = Vector512.FusedMultiplyAdd(b, d2, g18);
                    g17 = Vector512.FusedMultiplyAdd(b, d3, g17);
                    b = Vector512.Create(Unsafe.Add(ref s, 4 * rowStride + 4));
                    g24 = Vector512.FusedMultiplyAdd(b, d0, g24);
                    g23 = Vector512.FusedMultiplyAdd(b, d1, g23);
                    g19 = Vector512.FusedMultiplyAdd(b, d2, g19);
                    g18 = Vector512.FusedMultiplyAdd(b, d3, g18);
                    b = Vector512.Create(Unsafe.Add(ref s, 4 * rowStride + 5));
                    g24 = Vector512.FusedMultiplyAdd(b, d1, g24);
                    g19 = Vector512.FusedMultiplyAdd(b, d3, g19);
                    b = Vector512.Create(Unsafe.Add(ref s, 5 * rowStride + 0));
                    g20 = Vector512.FusedMultiplyAdd(b, d2, g20);
                    b = Vector512.Create(Unsafe.Add(ref s, 5 * rowStride + 1));
                    g21 = Vector512.FusedMultiplyAdd(b, d2, g21);
                    g20 = Vector512.FusedMultiplyAdd(b, d3, g20);
                    b = Vector512.Create(Unsafe.Add(ref s, 5 * rowStride + 2));
                    g22 = Vector512.FusedMultiplyAdd(b, d2, g22);
                    g21 = Vector512.FusedMultiplyAdd(b, d3, g21);
                    b = Vector512.Create(Unsafe.Add(ref s, 5 * rowStride + 3));
                    g23 = Vector512.FusedMultiplyAdd(b, d2, g23);
                    g22 = Vector512.FusedMultiplyAdd(b, d3, g22);
                    b = Vector512.Create(Unsafe.Add(ref s, 5 * rowStride + 4));
                    g24 = Vector512.FusedMultiplyAdd(b, d2, g24);
                    g23 = Vector512.FusedMultiplyAdd(b, d3, g23);
                    b = Vector512.Create(Unsafe.Add(ref s, 5 * rowStride + 5));
                    g24 = Vector512.FusedMultiplyAdd(b, d3, g24);
                    s = ref Unsafe.Add(ref s, 2);
                    d = ref Unsafe.Add(ref d, window);
                    w = ref Unsafe.Add(ref w, window);
                }
            }
        }

        g00.StoreUnsafe(ref output, 0 * Width);
        g01.StoreUnsafe(ref output, 1 * Width);
        g02.StoreUnsafe(ref output, 2 * Width);
        g03.StoreUnsafe(ref output, 3 * Width);
        g04.StoreUnsafe(ref output, 4 * Width);
        g05.StoreUnsafe(ref output, 5 * Width);
        g06.StoreUnsafe(ref output, 6 * Width);
        g07.StoreUnsafe(ref output, 7 * Width);
        g08.StoreUnsafe(ref output, 8 * Width);
        g09.StoreUnsafe(ref output, 9 * Width);
        g10.StoreUnsafe(ref output, 10 * Width);
        g11.StoreUnsafe(ref output, 11 * Width);
        g12.StoreUnsafe(ref output, 12 * Width);
        g13.StoreUnsafe(ref output, 13 * Width);
        g14.StoreUnsafe(ref output, 14 * Width);
        g15.StoreUnsafe(ref output, 15 * Width);
        g16.StoreUnsafe(ref output, 16 * Width);
        g17.StoreUnsafe(ref output, 17 * Width);
        g18.StoreUnsafe(ref output, 18 * Width);
        g19.StoreUnsafe(ref output, 19 * Width);
        g20.StoreUnsafe(ref output, 20 * Width);
        g21.StoreUnsafe(ref output, 21 * Width);
        g22.StoreUnsafe(ref output, 22 * Width);
        g23.StoreUnsafe(ref output, 23 * Width);
        g24.StoreUnsafe(ref output, 24 * Width);
    }
}

/// <summary>
/// One chunk of images per index (<paramref name="images"/> each, the last one short): their zero-padded input planes and
/// their pooled gradient and winners as [window, K] (the first half of <paramref name="channelsLast"/> holds every image's
/// gradient, the second their winners), then one <see cref="PooledWeightGradient.Accumulate"/> per (input channel, 16 output
/// channels) over the chunk, into the chunk's block of <paramref name="partials"/>, and the chunk's bias sums at
/// <paramref name="biasAt"/> + chunk·K when that is not negative: all on the thread that claimed it.
/// </summary>
internal readonly struct PooledWeightChunkBody(
    ConvGeometry g, float[] x, int xo, float[] dpooled, int dpo, float[] code, int co, float[] padded, float[] channelsLast, float[] partials, int biasAt, int images) : IRangeBody
{
    private const int Width = PooledWeightGradient.Width;
    private const int Taps = PooledWeightGradient.Taps;

    public void Run(int start, int end)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp, chw = g.C * g.H * g.W, windows = g.P / 2 * (g.Q / 2), k = g.K;
        int all = g.N * windows * k, vectors = k / Width;
        for (var chunk = start; chunk < end; chunk++)
        {
            var first = chunk * images;
            var count = Math.Min(images, g.N - first);
            for (var n = first; n < first + count; n++)
            {
                DirectConvLayout.Pad(g, x.AsSpan(xo + n * chw, chw), padded.AsSpan(n * g.C * plane, g.C * plane));
                DirectConvLayout.ToChannelsLast(dpooled.AsSpan(dpo + n * k * windows, k * windows), windows, k, channelsLast.AsSpan(n * windows * k, windows * k));
                DirectConvLayout.ToChannelsLast(code.AsSpan(co + n * k * windows, k * windows), windows, k, channelsLast.AsSpan(all + n * windows * k, windows * k));
            }

            if (biasAt >= 0)
            {
                var block = count * windows * k;
                ChannelsLastBias.WinnerSums(channelsLast.AsSpan(first * windows * k, block), channelsLast.AsSpan(all + first * windows * k, block), count * windows, k,
                    partials.AsSpan(biasAt + chunk * k, k));
            }

            for (var task = 0; task < g.C * vectors; task++)
            {
                int c = task / vectors, v = task % vectors;
                PooledWeightGradient.Accumulate(ref padded[(first * g.C + c) * plane], g.C * plane, wp, count, g.P / 2, g.Q / 2,
                    ref channelsLast[first * windows * k + v * Width], ref channelsLast[all + first * windows * k + v * Width], k,
                    ref partials[(chunk * g.C * vectors + task) * Taps * Width]);
            }
        }
    }
}
