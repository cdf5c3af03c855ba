using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// One image per index: pad it, run the tiles into a [P·Q, K] staging block (<see cref="DirectConvPlane"/>), transpose
/// that with the bias (and the ReLU when asked) into a second block, also in cache, and copy that to y in one sequential
/// run. Output pixel (row, col) reads the padded input from (row·stride, col·stride) on.
/// Why the copy: the transpose stores 16 floats to each of 16 rows at a time, and y is usually not in cache (a layer's
/// output is next touched by the following layer, or in the backward pass); inside the conv VAE step the copy took the
/// 32 → 64 convolution from 0.566–0.600 to 0.511–0.534 ms, and the last transposed convolution's data gradient about as
/// much, while alone, with y in cache, the layers are 1.3 % slower.
/// </summary>
internal readonly struct DirectForwardBody(ConvGeometry g, float[] x, int xo, float[] weights, float[]? bias, int bo, float[] y, int yo, bool relu, int threads) : IRangeBody
{
    public void Run(int start, int end)
    {
        int pq = g.P * g.Q, chw = g.C * g.H * g.W;
        var padded = ConvScratch<float>.Columns(g.C * (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW));
        var staged = ConvScratch<float>.Staging(pq * g.K);
        var image = ConvScratch<float>.Phases(g.K * pq).AsSpan(0, g.K * pq); // [K, P·Q], copied to y in one run
        Span<int> taps = stackalloc int[g.R * g.S];
        DirectConvLayout.Taps(g, taps);
        for (var n = start; n < end; n++)
        {
            var output = staged.AsSpan(0, pq * g.K); // [P·Q, K]
            var next = DirectConvPlane.LikelyNext(n, threads, g.N);
            Convolve(g, x.AsSpan(xo + n * chw, chw), padded, taps, weights, output, next < 0 ? default : x.AsSpan(xo + next * chw, chw));
            ReadOnlySpan<float> b = bias is null ? default : bias.AsSpan(bo, g.K);
            DirectConvLayout.ToChannelsFirst(output, pq, g.K, b, image, relu);
            image.CopyTo(y.AsSpan(yo + n * g.K * pq, g.K * pq));
        }
    }

    /// <summary>
    /// One image [C, H, W] padded into <paramref name="padded"/> and convolved into <paramref name="output"/> [P·Q, K], no
    /// bias; <paramref name="ahead"/> (the image this thread likely takes next) is prefetched along the way.
    /// </summary>
    public static void Convolve(ConvGeometry g, ReadOnlySpan<float> image, float[] padded, ReadOnlySpan<int> taps, float[] weights, Span<float> output, ReadOnlySpan<float> ahead = default)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp;
        DirectConvLayout.Pad(g, image, padded);
        if (g.StrideW == 1)
        {
            DirectConvPlane.Run<StrideOne>(ref padded[0], g.StrideH * wp, plane, g.C, taps, ref weights[0], g.K, g.P, g.Q, output, ahead);
        }
        else
        {
            DirectConvPlane.Run<StrideTwo>(ref padded[0], g.StrideH * wp, plane, g.C, taps, ref weights[0], g.K, g.P, g.Q, output, ahead);
        }
    }
}

/// <summary>One image per index: its zero-padded planes and its dy as [P·Q, K], for <see cref="DirectWeightBody"/>.</summary>
internal readonly struct DirectWeightPrepareBody<TDy>(ConvGeometry g, float[] x, int xo, TDy dy, float[] padded, float[] channelsLast, int first) : IRangeBody
    where TDy : struct, IDirectDy
{
    public void Run(int start, int end)
    {
        int plane = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW), chw = g.C * g.H * g.W, kpq = g.K * g.P * g.Q;
        for (var n = start; n < end; n++)
        {
            // two images ahead (and, at the start, the next one too): padding and transposing are quick, so each image's
            // demand misses on data written long before would otherwise stall them one after another
            for (var ahead = n == start ? n + 1 : n + 2; ahead <= n + 2 && ahead < end; ahead++)
            {
                Prefetch.Slice<float>(x.AsSpan(xo + ahead * chw, chw), 0, 1);
                dy.Prefetch(ahead, 1, 0, 1);
            }

            DirectConvLayout.Pad(g, x.AsSpan(xo + n * chw, chw), padded.AsSpan((n - first) * g.C * plane, g.C * plane));
            dy.ChannelsLast(n, channelsLast.AsSpan((n - first) * kpq, kpq));
        }
    }
}

/// <summary>Where <see cref="DirectWeightPrepareBody{TDy}"/> gets one image's dy as [P·Q, K].</summary>
internal interface IDirectDy
{
    void ChannelsLast(int n, Span<float> to);

    /// <summary>Prefetches slice <paramref name="slice"/> of <paramref name="slices"/> of what <see cref="ChannelsLast"/> reads for images [first, first + count).</summary>
    void Prefetch(int first, int count, int slice, int slices);
}

/// <summary>dy as the caller gave it, [N, K, P·Q]: transposed.</summary>
internal readonly struct DenseDirectDy(ConvGeometry g, float[] dy, int dyo) : IDirectDy
{
    public void ChannelsLast(int n, Span<float> to)
    {
        var kpq = g.K * g.P * g.Q;
        DirectConvLayout.ToChannelsLast(dy.AsSpan(dyo + n * kpq, kpq), g.P * g.Q, g.K, to);
    }

    public void Prefetch(int first, int count, int slice, int slices)
    {
        var kpq = g.K * g.P * g.Q;
        Cpu.Prefetch.Slice<float>(dy.AsSpan(dyo + first * kpq, count * kpq), slice, slices);
    }
}

/// <summary>
/// dy as the unpooling of dpooled [N, K, P/2·Q/2] at the winners <paramref name="code"/> (<see cref="PoolArgmaxKernels"/>):
/// the pooled gradient and winners are transposed to [window, K] (a quarter of dy), then each window's vector lands at
/// its four pixels, kept where the winner matches and 0 elsewhere. Why: unpooling into NCHW and transposing that moved
/// the full-size dy twice.
/// </summary>
internal readonly struct PooledDirectDy(ConvGeometry g, float[] dpooled, int dpo, float[] code, int co) : IDirectDy
{
    private const int Width = 16;

    public void ChannelsLast(int n, Span<float> to)
    {
        int k = g.K, half = g.Q / 2, windows = g.P / 2 * half;
        var staged = ConvScratch<float>.Staging(2 * windows * k);
        var gradient = staged.AsSpan(0, windows * k);
        var winners = staged.AsSpan(windows * k, windows * k);
        DirectConvLayout.ToChannelsLast(dpooled.AsSpan(dpo + n * k * windows, k * windows), windows, k, gradient);
        DirectConvLayout.ToChannelsLast(code.AsSpan(co + n * k * windows, k * windows), windows, k, winners);
        for (var i = 0; i < g.P / 2; i++)
        {
            for (var j = 0; j < half; j++)
            {
                var at = (i * half + j) * k;
                var topLeft = (2 * i * g.Q + 2 * j) * k;
                for (var v = 0; v < k; v += Width)
                {
                    var value = Vector512.Create<float>(gradient.Slice(at + v, Width));
                    var winner = Vector512.Create<float>(winners.Slice(at + v, Width));
                    Place(value, winner, 0f, to.Slice(topLeft + v, Width));
                    Place(value, winner, 1f, to.Slice(topLeft + k + v, Width));
                    Place(value, winner, 2f, to.Slice(topLeft + g.Q * k + v, Width));
                    Place(value, winner, 3f, to.Slice(topLeft + (g.Q + 1) * k + v, Width));
                }
            }
        }
    }

    public void Prefetch(int first, int count, int slice, int slices)
    {
        var pooled = g.K * (g.P / 2) * (g.Q / 2);
        Cpu.Prefetch.Slice<float>(dpooled.AsSpan(dpo + first * pooled, count * pooled), slice, slices);
        Cpu.Prefetch.Slice<float>(code.AsSpan(co + first * pooled, count * pooled), slice, slices);
    }

    private static void Place(Vector512<float> value, Vector512<float> winner, float position, Span<float> to) =>
        Vector512.ConditionalSelect(Vector512.Equals(winner, Vector512.Create(position)), value, Vector512<float>.Zero).CopyTo(to);
}

/// <summary>
/// One task per (channel pair or channel, block of 5 taps, vector pair or vector): the gradient of those weights summed
/// over the images and pixels in one fixed order, into [C, R·S, K]. Tasks whose tap blocks overlap write the shared taps twice,
/// to the same values (so the gradient is never added to in place). Taps are flattened r·S + s, so blocks of 5 cover any
/// kernel of at least 5 taps (the last block moved back, as the forward's tiles).
/// </summary>
internal readonly struct DirectWeightBody(ConvGeometry g, float[] padded, float[] channelsLast, float[] gradient, int gradientOffset) : IRangeBody
{
    private const int Width = 16;

    private bool PairsVectors => g.K % (2 * Width) == 0;

    /// <summary>Stride 1 with kernels 5 wide: each tap block is one kernel row, for <see cref="DirectConvRowTile.Weight"/>.</summary>
    private bool ByRows => g.StrideW == 1 && g.S == DirectConvRowTile.Width;

    /// <summary>
    /// Four dy vectors against 6 (channel, tap) pairs (<see cref="DirectConvTiles.WeightSixByFour"/>) when K is a multiple of
    /// 64: the flattened (c, r, s) are cut into blocks of 6, the last one moved back, so any C·R·S of at least 6 is covered.
    /// </summary>
    private bool SixByFour => DirectConv.TakesSixByFour(g);

    /// <summary>One dy vector against 4 input channels (<see cref="DirectConvTiles.WeightFourChannels"/>) where the channels allow.</summary>
    private bool FourChannels => !PairsVectors && !ByRows && g.C % 4 == 0;

    private int ChannelGroups => PairsVectors ? g.C : FourChannels ? g.C / 4 : g.C / 2;

    private int VectorGroups => PairsVectors ? g.K / (2 * Width) : g.K / Width;

    private int TapBlocks => DirectConv.TileCount(DirectConvTiles.Taps, g.R * g.S);

    public int Tasks => SixByFour ? DirectConv.TileCount(DirectConvTiles.WeightPairs, g.C * g.R * g.S) * (g.K / (4 * Width)) : ChannelGroups * TapBlocks * VectorGroups;

    public void Run(int start, int end)
    {
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, plane = hp * wp, rs = g.R * g.S;
        Span<int> taps = stackalloc int[rs];
        DirectConvLayout.Taps(g, taps);
        if (SixByFour)
        {
            RunSixByFour(start, end, taps, plane, wp);
            return;
        }

        for (var task = start; task < end; task++)
        {
            var vectorGroup = task % VectorGroups;
            var tapBlock = task / VectorGroups % TapBlocks;
            var channelGroup = task / (VectorGroups * TapBlocks);
            var (c, v) = PairsVectors ? (channelGroup, 2 * vectorGroup) : ((FourChannels ? 4 : 2) * channelGroup, vectorGroup);
            var t0 = DirectConv.TileStart(tapBlock, DirectConvTiles.Taps, rs);
            if (ByRows)
            {
                DirectConvRowTile.Weight(ref padded[c * plane], PairsVectors ? 0 : plane, g.C * plane, g.StrideH * wp, g.N, g.P, g.Q, taps[t0],
                    ref channelsLast[v * Width], PairsVectors ? Width : 0, g.K, ref gradient[gradientOffset + (c * rs + t0) * g.K + v * Width], g.K,
                    PairsVectors ? Width : rs * g.K);
                continue;
            }

            if (FourChannels)
            {
                DirectConvTiles.WeightFourChannels(ref padded[c * plane], plane, g.C * plane, g.StrideH * wp, g.StrideW, g.N, g.P, g.Q,
                    taps.Slice(t0, DirectConvTiles.Taps), ref channelsLast[v * Width], g.K,
                    ref gradient[gradientOffset + (c * rs + t0) * g.K + v * Width], g.K, rs * g.K);
                continue;
            }

            DirectConvTiles.Weight(ref padded[c * plane], PairsVectors ? 0 : plane, g.C * plane, g.StrideH * wp, g.StrideW, g.N, g.P, g.Q,
                taps.Slice(t0, DirectConvTiles.Taps), ref channelsLast[v * Width], PairsVectors ? Width : 0, g.K,
                ref gradient[gradientOffset + (c * rs + t0) * g.K + v * Width], g.K, PairsVectors ? Width : rs * g.K);
        }
    }

    private void RunSixByFour(int start, int end, ReadOnlySpan<int> taps, int plane, int wp)
    {
        const int block = DirectConvTiles.WeightPairs;
        int rs = g.R * g.S, pairs = g.C * rs, groups = g.K / (4 * Width);
        Span<int> offsets = stackalloc int[block];
        for (var task = start; task < end; task++)
        {
            var (i0, v) = (DirectConv.TileStart(task / groups, block, pairs), task % groups * 4 * Width);
            for (var t = 0; t < block; t++)
            {
                offsets[t] = (i0 + t) / rs * plane + taps[(i0 + t) % rs];
            }

            DirectConvTiles.WeightSixByFour(ref padded[0], g.C * plane, g.StrideH * wp, g.StrideW, g.N, g.P, g.Q, offsets,
                ref channelsLast[v], g.K, ref gradient[gradientOffset + i0 * g.K + v], g.K);
        }
    }
}

/// <summary>
/// One chunk of images per index (<paramref name="images"/> each, the last one short): its padded input and channels-last dy
/// (<see cref="DirectWeightPrepareBody{TDy}"/>), then every tile task over its images (<see cref="DirectWeightBody"/>) into
/// the chunk's own [C, R·S, K] block of <paramref name="partials"/>, and the chunk's bias sums at <paramref name="biasAt"/> +
/// chunk·K when that is not negative, all on the thread that claimed the chunk. The padded input and channels-last dy go
/// into that thread's scratch for one chunk, the same for each of its chunks, so the next chunk writes lines still in its
/// L2. Before, every chunk had its own region of a whole batch's scratch (4.5 MB for the conv VAE's 32 → 64 layer), each
/// written cold. Each thread takes a fixed run of chunks (<see cref="CpuParallel.For{TBody}(WorkerPool, int, int, TBody, int)"/>),
/// so while it computes one chunk it knows its next and prefetches that chunk's input and dy, a slice after each tile
/// task: in a training step they were written long before and had left the caches, and preparing a chunk (17 images,
/// 425 KB of input) stalled on them after a compute phase that gives the hardware prefetcher nothing to follow. The conv
/// VAE's 32 → 64 weight gradient took 0.68 ms inside the step against 0.47 alone; with the prefetch 0.61.
/// </summary>
internal readonly struct DirectWeightChunkBody<TDy>(ConvGeometry g, float[] x, int xo, TDy dy, float[] partials, int biasAt, int images) : IRangeBody
    where TDy : struct, IDirectDy
{
    public void Run(int start, int end)
    {
        int plane = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW), kpq = g.K * g.P * g.Q, chw = g.C * g.H * g.W;
        var padded = ConvScratch<float>.Padded(images * g.C * plane);
        var channelsLast = ConvScratch<float>.Transposed(images * kpq);
        for (var chunk = start; chunk < end; chunk++)
        {
            var first = chunk * images;
            var count = Math.Min(images, g.N - first);
            new DirectWeightPrepareBody<TDy>(g, x, xo, dy, padded, channelsLast, first).Run(first, first + count);
            if (biasAt >= 0)
            {
                ChannelsLastBias.ColumnSums(channelsLast.AsSpan(0, count * kpq), count * g.P * g.Q, g.K, partials.AsSpan(biasAt + chunk * g.K, g.K));
            }

            var body = new DirectWeightBody(g with { N = count }, padded, channelsLast, partials, chunk * g.WeightLength);
            if (chunk + 1 == end)
            {
                body.Run(0, body.Tasks);
                continue;
            }

            // the next chunk's input and dy, a slice after each task, so they are in cache when that chunk is prepared
            var next = (chunk + 1) * images;
            var nextCount = Math.Min(images, g.N - next);
            var nextInput = x.AsSpan(xo + next * chw, nextCount * chw);
            for (var task = 0; task < body.Tasks; task++)
            {
                body.Run(task, task + 1);
                Prefetch.Slice<float>(nextInput, task, body.Tasks);
                dy.Prefetch(next, nextCount, task, body.Tasks);
            }
        }
    }
}
