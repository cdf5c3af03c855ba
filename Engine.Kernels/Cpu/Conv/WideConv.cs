using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Direct float32 convolution for stride 1 with vectors along the output row (AVX-512), for layers with few taps per
/// output (C·R·S below <see cref="DirectConv.MinTaps"/>), such as the hypernetwork's first layer (1→32, 5×5 on 28×28).
/// Why: with 25 taps, im2col + GEMM spends more on building and packing the columns and regrouping the output than on
/// the multiply-adds, and <see cref="DirectConv"/>'s channels-last staging costs as much as its FMAs. Here each FMA takes
/// 16 neighbouring input pixels of a zero-padded plane times one broadcast weight, and the result lands in NCHW directly.
/// Rows are cut into 16-pixel blocks, the last moved back to end at the row (its overlap is computed twice to the same
/// values, and masked out of the weight gradient's sums).
/// </summary>
internal static class WideConv
{
    public static bool AppliesToForward(ConvGeometry g) =>
        DirectConv.IsWideCandidate(g) && g.K % WideConvTiles.Channels == 0 && (long)g.C * g.R * g.S < DirectConv.MinTaps;

    public static bool AppliesToWeight(ConvGeometry g) =>
        DirectConv.IsWideCandidate(g) && g.K % WideConvTiles.GradientChannels == 0 && g.R * g.S >= WideConvTiles.Taps
        && (long)g.C * g.R * g.S < DirectConv.MinTaps;

    /// <summary>16-pixel blocks per output row.</summary>
    public static int Blocks(int cols) => DirectConv.TileCount(Vector512<float>.Count, cols);

    public static void Forward(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[]? bias, int bo, float[] y, int yo, bool relu, WorkerPool workers)
    {
        var rearranged = ConvScratch<float>.DirectWeights(g.WeightLength);
        DirectConv.ToTapMajor(g, w.AsSpan(wo, g.WeightLength), rearranged);
        CpuParallel.ForEach(workers, g.N, new WideForwardBody(g, x, xo, rearranged, bias, bo, y, yo, relu));
    }

    /// <summary>dw only (the bias gradient is the caller's); each element is one task's sum in a fixed order, whatever the thread count.</summary>
    public static void BackwardWeight(ConvGeometry g, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo, WorkerPool workers)
    {
        var plane = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW);
        var padded = ConvScratch<float>.Padded(g.N * g.C * plane);
        CpuParallel.ForEach(workers, g.N, new PadBody(g, x, xo, padded));
        var body = new WideWeightBody<DenseDy>(g, padded, new DenseDy(dy, dyo, g.K * g.P * g.Q, g.P * g.Q), dw, dwo);
        CpuParallel.ForEach(workers, body.Tasks, body);
    }

    /// <summary>
    /// dw of a convolution whose dy is the unpooling of dpooled at the winners <paramref name="code"/>
    /// (<see cref="PoolArgmaxKernels"/>): each task unpools its channels' dy rows chunk by chunk into L1, so the full-size dy
    /// is never written out.
    /// </summary>
    public static void BackwardWeightPooled(ConvGeometry g, float[] x, int xo, float[] dpooled, int dpo, float[] code, int co, float[] dw, int dwo, WorkerPool workers)
    {
        var plane = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW);
        var padded = ConvScratch<float>.Padded(g.N * g.C * plane);
        CpuParallel.ForEach(workers, g.N, new PadBody(g, x, xo, padded));
        var body = new WideWeightBody<PooledDy>(g, padded, new PooledDy(g, dpooled, dpo, code, co), dw, dwo);
        CpuParallel.ForEach(workers, body.Tasks, body);
    }
}

/// <summary>One image per index: pad it, then for each output row and group of 8 channels, pairs of 16-pixel blocks.</summary>
internal readonly struct WideForwardBody(ConvGeometry g, float[] x, int xo, float[] weights, float[]? bias, int bo, float[] y, int yo, bool relu) : IRangeBody
{
    public void Run(int start, int end)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp, pq = g.P * g.Q, chw = g.C * g.H * g.W;
        var padded = ConvScratch<float>.Columns(g.C * plane);
        Span<int> taps = stackalloc int[g.R * g.S];
        DirectConvLayout.Taps(g, taps);

        var blocks = WideConv.Blocks(g.Q);
        for (var n = start; n < end; n++)
        {
            DirectConvLayout.Pad(g, x.AsSpan(xo + n * chw, chw), padded);
            for (var row = 0; row < g.P; row++)
            {
                for (var k = 0; k < g.K; k += WideConvTiles.Channels)
                {
                    ReadOnlySpan<float> b = bias is null ? default : bias.AsSpan(bo + k, WideConvTiles.Channels);
                    for (var i = 0; i < blocks; i += 2)
                    {
                        var first = DirectConv.TileStart(i, Vector512<float>.Count, g.Q);
                        var second = DirectConv.TileStart(Math.Min(i + 1, blocks - 1), Vector512<float>.Count, g.Q);
                        WideConvTiles.Forward(ref padded[row * wp + first], second - first, plane, g.C, taps, ref weights[k], g.K, b,
                            new NchwTileStore(y, yo + (n * g.K + k) * pq + row * g.Q + first, pq, second - first));
                    }
                }
            }

            if (relu)
            {
                ConvLayout.Rectify(y.AsSpan(yo + n * g.K * pq, g.K * pq));
            }
        }
    }
}

/// <summary>One image per index into its slot of a batch of zero-padded planes.</summary>
internal readonly struct PadBody(ConvGeometry g, float[] x, int xo, float[] padded) : IRangeBody
{
    public void Run(int start, int end)
    {
        int plane = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW), chw = g.C * g.H * g.W;
        for (var n = start; n < end; n++)
        {
            DirectConvLayout.Pad(g, x.AsSpan(xo + n * chw, chw), padded.AsSpan(n * g.C * plane, g.C * plane));
        }
    }
}

/// <summary>
/// One task per (input channel, group of 4 output channels), written straight into dw. A task walks the images in chunks
/// small enough that their dy rows stay in L1/L2 while all its tap blocks (5 taps each) read them: with a task per tap
/// block instead, every block streamed the whole dy (3.2 MB per hypernetwork net, larger than L2) from L3 again.
/// Each dw element is summed by one task, chunk after chunk in order, so results do not depend on the thread count.
/// </summary>
internal readonly struct WideWeightBody<TDy>(ConvGeometry g, float[] padded, TDy source, float[] dw, int dwo) : IRangeBody
    where TDy : struct, IWideDy
{
    /// <summary>dy floats of one task's 4 channels per image chunk: 48 KB, about L1.</summary>
    private const int ChunkFloats = 12_288;

    private int TapBlocks => DirectConv.TileCount(WideConvTiles.Taps, g.R * g.S);

    private int ChannelGroups => g.K / WideConvTiles.GradientChannels;

    public int Tasks => g.C * ChannelGroups;

    public void Run(int start, int end)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp, rs = g.R * g.S, pq = g.P * g.Q;
        var chunk = Math.Max(1, ChunkFloats / (WideConvTiles.GradientChannels * pq));
        Span<int> taps = stackalloc int[rs];
        DirectConvLayout.Taps(g, taps);

        // NOTE: a moved-back last tap block recomputes taps of the block before it; it stores the same sums there, which
        // is harmless in the chunk's own sums but would count twice if blocks added into dw, hence the per-chunk buffer
        Span<float> sums = stackalloc float[WideConvTiles.GradientChannels * rs];
        for (var task = start; task < end; task++)
        {
            var k = task % ChannelGroups * WideConvTiles.GradientChannels;
            var c = task / ChannelGroups;
            for (var n = 0; n < g.N; n += chunk)
            {
                var images = Math.Min(chunk, g.N - n);
                for (var block = 0; block < TapBlocks; block++)
                {
                    var t0 = DirectConv.TileStart(block, WideConvTiles.Taps, rs);
                    ref var rows = ref source.Rows(n, images, k, block == 0, out var imageStride);
                    WideConvTiles.Weight(ref padded[(n * g.C + c) * plane], g.C * plane, wp, ref rows, imageStride, pq, images, g.P, g.Q,
                        taps.Slice(t0, WideConvTiles.Taps), sums[t0..], rs);
                }

                for (var j = 0; j < WideConvTiles.GradientChannels; j++)
                {
                    var target = dw.AsSpan(dwo + ((k + j) * g.C + c) * rs, rs);
                    var chunkSums = sums.Slice(j * rs, rs);
                    if (n == 0)
                    {
                        chunkSums.CopyTo(target);
                    }
                    else
                    {
                        System.Numerics.Tensors.TensorPrimitives.Add(target, chunkSums, target);
                    }
                }
            }
        }
    }
}

/// <summary>Where <see cref="WideWeightBody{TDy}"/> reads the dy rows of 4 output channels for a chunk of images.</summary>
internal interface IWideDy
{
    /// <summary>
    /// dy[n … n + images, k … k + 3] with channels pq apart and images <paramref name="imageStride"/> apart;
    /// <paramref name="fresh"/> on the chunk's first tap block (a source that builds the rows does it then).
    /// </summary>
    ref float Rows(int n, int images, int k, bool fresh, out int imageStride);
}

/// <summary>dy as the caller gave it, [N, K, P·Q].</summary>
internal readonly struct DenseDy(float[] dy, int dyo, int kpq, int pq) : IWideDy
{
    public ref float Rows(int n, int images, int k, bool fresh, out int imageStride)
    {
        imageStride = kpq;
        return ref dy[dyo + n * kpq + k * pq];
    }
}

/// <summary>dy unpooled on the fly from the pooled gradient and the winners, into this thread's scratch.</summary>
internal readonly struct PooledDy(ConvGeometry g, float[] dpooled, int dpo, float[] code, int co) : IWideDy
{
    public ref float Rows(int n, int images, int k, bool fresh, out int imageStride)
    {
        int pq = g.P * g.Q, quarter = g.P / 2 * (g.Q / 2), channels = WideConvTiles.GradientChannels;
        imageStride = channels * pq;
        // NOTE: 64 floats past the chunk let the unpooling's vector stores run to the end of every row pair
        var rows = ConvScratch<float>.Pooling(images * channels * pq + 64);
        if (fresh)
        {
            for (var m = 0; m < images; m++)
            {
                var at = ((n + m) * g.K + k) * quarter;
                PoolArgmaxKernels.UnpoolPlanes<float>(dpooled.AsSpan(dpo + at, channels * quarter), code.AsSpan(co + at, channels * quarter),
                    rows.AsSpan(m * channels * pq), channels, g.P, g.Q);
            }
        }

        return ref rows[0];
    }
}
