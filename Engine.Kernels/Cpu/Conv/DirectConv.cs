using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Direct float32 convolution for stride 1 or 2 with output channels in whole 16-float vectors (AVX-512): each FMA
/// multiplies one input value, broadcast, by the weights of 16 output channels, with 14 such accumulators in
/// registers (<see cref="DirectConvTiles"/>). Why: the hypernetwork's 5×5 layers (1→32 on 28×28, 32→16 on 14×14,
/// 32 images per generated net) gave im2col + GEMM a 16- or 32-row GEMM over 25× expanded columns: the im2col,
/// the packing of those columns and a GEMM too short in M cost more than the multiply-adds. Here the input is
/// only padded, the weights rearranged to [C, R·S, K] once per call, and the output goes through a small
/// [pixel, K] staging block per image, transposed into NCHW with the bias added.
/// The data gradient reaches this path through <see cref="FlippedConv"/> when C is a multiple of 16.
/// </summary>
internal static class DirectConv
{
    private const int Width = 16;

    /// <summary>
    /// Taps per output value (C·R·S) from which the direct route is taken. Measured on 5×5 SAME layers with K = 32 on
    /// 28×28 (hconv workloads, 2 threads): C = 1 (25 taps) direct 0.50 ms vs im2col 0.36–0.45; C = 4 (100) 1.00 vs 1.08;
    /// C = 8 (200) 2.1 vs 3.9. With few taps the staging and transposition of every output cost more than im2col does.
    /// </summary>
    public const int MinTaps = 100;

    /// <summary>
    /// Largest dy, in floats, for the direct weight gradient. Measured when every task re-read the whole batch's
    /// channels-last dy (before the chunks of <see cref="WeightImagesPerChunk"/>), so it had to stay in L2 (half of a 1 MiB
    /// L2); not re-measured with the chunks. The hypernetwork's 32→16 layer (100,352 floats) ran 1.8× faster than im2col; a
    /// 28×28 K = 32 layer (802,816) ran 1.35–1.6× slower. Cutting a larger batch into blocks of this size (tried: each
    /// block's gradient summed in order) did not pay either: the conv VAE's 32→64 stride-2 layer (313,600 floats, three
    /// blocks) took 2.66–2.69 ms against im2col's 1.74–1.95. The 6 × 4 tile (<see cref="TakesSixByFour"/>), with the chunks,
    /// has no such limit: it takes that layer in 0.49 ms against the channels-last GEMM's 0.65 (2 threads, measured 2026-11-23).
    /// </summary>
    public const int MaxWeightGradientDy = 1 << 17;

    /// <summary>Forward needs stride 1 or 2, K in whole vectors, enough taps, a row of at least one tile and, for an odd vector count, two rows.</summary>
    public static bool AppliesToForward(ConvGeometry g) =>
        Supported && IsDense(g) && g.K % Width == 0 && (long)g.C * g.R * g.S >= MinTaps
        && g.Q >= DirectConvTiles.Pixels && (g.K % (2 * Width) == 0 || g.P >= 2);

    /// <summary>
    /// The weight gradient pairs two channel vectors, or two input channels when K is one odd vector count; with K a
    /// multiple of 64 it takes four vectors against 6 (channel, tap) pairs (<see cref="TakesSixByFour"/>), for any size of dy.
    /// </summary>
    public static bool AppliesToWeight(ConvGeometry g) =>
        TakesSixByFour(g)
        || (Supported && IsDense(g) && g.K % Width == 0 && (long)g.C * g.R * g.S >= MinTaps && g.R * g.S >= DirectConvTiles.Taps
            && (long)g.N * g.P * g.Q * g.K <= MaxWeightGradientDy && (g.K % (2 * Width) == 0 || g.C % 2 == 0));

    /// <summary>The 6 × 4 weight-gradient tile (<see cref="DirectConvTiles.WeightSixByFour"/>): K a multiple of 64, at least <see cref="MinTaps"/> (channel, tap) pairs, not a stride-1 5-wide kernel (<see cref="DirectConvRowTile"/>'s).</summary>
    public static bool TakesSixByFour(ConvGeometry g) =>
        Supported && IsDense(g) && g.K % (4 * Width) == 0 && (long)g.C * g.R * g.S >= MinTaps && !(g.StrideW == 1 && g.S == DirectConvRowTile.Width);

    /// <summary>Stride 1 on AVX-512 with at least one 16-pixel block per output row: <see cref="WideConv"/>'s common conditions.</summary>
    public static bool IsWideCandidate(ConvGeometry g) => Supported && IsDense(g) && g.StrideW == 1 && g.Q >= Vector512<float>.Count;

    public static bool Supported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Stride 1 or 2 (the same both ways), non-negative padding, and P, Q as a convolution of that geometry has them.</summary>
    public static bool IsDense(ConvGeometry g) =>
        g.N > 0 && g.StrideH == g.StrideW && g.StrideH is 1 or 2 && g.PadH >= 0 && g.PadW >= 0
        && g.H + 2 * g.PadH >= g.R && g.W + 2 * g.PadW >= g.S
        && g.P == (g.H + 2 * g.PadH - g.R) / g.StrideH + 1 && g.Q == (g.W + 2 * g.PadW - g.S) / g.StrideW + 1;

    public static void Forward(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[]? bias, int bo, float[] y, int yo, bool relu, WorkerPool workers)
    {
        var rearranged = ConvScratch<float>.DirectWeights(g.WeightLength);
        ToTapMajor(g, w.AsSpan(wo, g.WeightLength), rearranged);
        CpuParallel.ForEach(workers, g.N, new DirectForwardBody(g, x, xo, rearranged, bias, bo, y, yo, relu, workers.Threads));
    }

    /// <summary>dw, and db when given (from each chunk's channels-last dy); every element is summed in a fixed order (within a chunk of images, then over the chunks), so the result does not depend on the thread count.</summary>
    public static void BackwardWeight(ConvGeometry g, float[] x, int xo, float[] dy, int dyo, float[] dw, int dwo, float[]? db, int dbo, WorkerPool workers) =>
        BackwardWeight(g, x, xo, new DenseDirectDy(g, dy, dyo), dw, dwo, db, dbo, workers);

    /// <summary>As <see cref="BackwardWeight(ConvGeometry, float[], int, float[], int, float[], int, float[], int, WorkerPool)"/> with dy the unpooling of dpooled at the winners <paramref name="code"/>.</summary>
    public static void BackwardWeightPooled(ConvGeometry g, float[] x, int xo, float[] dpooled, int dpo, float[] code, int co, float[] dw, int dwo, float[]? db, int dbo, WorkerPool workers) =>
        BackwardWeight(g, x, xo, new PooledDirectDy(g, dpooled, dpo, code, co), dw, dwo, db, dbo, workers);

    /// <summary>dw, and db when given (summed from each chunk's channels-last dy, <see cref="ChannelsLastBias"/>).</summary>
    private static void BackwardWeight<TDy>(ConvGeometry g, float[] x, int xo, TDy dy, float[] dw, int dwo, float[]? db, int dbo, WorkerPool workers)
        where TDy : struct, IDirectDy
    {
        var images = WeightImagesPerChunk(g);
        var chunks = (g.N + images - 1) / images;
        var biasAt = db is null ? -1 : chunks * g.WeightLength;
        var partials = ConvScratch<float>.Partials(chunks * g.WeightLength + (db is null ? 0 : chunks * g.K)); // [chunk][C, R·S, K], then [chunk][K]
        CpuParallel.For(workers, chunks, 1, new DirectWeightChunkBody<TDy>(g, x, xo, dy, partials, biasAt, images), alignment: 1);
        if (db is not null)
        {
            ConvChunking.SumPartials<float>(partials.AsSpan(biasAt, chunks * g.K), chunks, g.K, db.AsSpan(dbo, g.K));
        }

        var taps = g.C * g.R * g.S;
        CpuParallel.For(workers, (taps + TapMajorSumBody.Rows - 1) / TapMajorSumBody.Rows, 1, new TapMajorSumBody(partials, chunks, taps, g.K, dw, dwo), alignment: 1);
    }

    /// <summary>
    /// Images per weight-gradient chunk: at most a quarter of the batch (so two threads share at least four chunks), and no
    /// more than fit 1 MiB of padded input and channels-last dy. Why chunks: each is prepared and multiplied by the thread
    /// that claims it, so its data stay in that core's L2; with the tasks over all images instead, every task streamed the
    /// whole dy, half of it from the other core's cache (the hypernetwork's 32→16 layer ran 1.40× faster on two threads than
    /// on one). The chunking depends on the geometry only, and the chunks' sums are added in order, so the result does not
    /// depend on the thread count. An odd count of chunks is made even: the conv VAE's 32 → 64 layer had 5 chunks of 23
    /// images, so one thread ran three; as 6 of 17 its weight gradient took 0.49 instead of 0.52 ms.
    /// </summary>
    internal static int WeightImagesPerChunk(ConvGeometry g)
    {
        const long budget = 1 << 18; // floats
        var perImage = (long)g.C * (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW) + (long)g.K * g.P * g.Q;
        var byMemory = (int)Math.Max(1, budget / perImage);
        var bySplit = (g.N + 3) / 4;
        var images = Math.Max(1, Math.Min(byMemory, bySplit));
        var chunks = (g.N + images - 1) / images;
        return chunks % 2 == 0 ? images : (g.N + chunks) / (chunks + 1); // an even count of chunks, so two threads take equal shares
    }

    /// <summary>to[(c·R·S + t)·K + k] = w[(k·C + c)·R·S + t]: [K, C·R·S] transposed.</summary>
    public static void ToTapMajor(ConvGeometry g, ReadOnlySpan<float> w, Span<float> to) =>
        LayoutKernels.Transpose(w, 1, g.K, g.C * g.R * g.S, to);

    /// <summary>The start of tile <paramref name="i"/> of <paramref name="size"/> along an extent: whole tiles, the last one moved back to end at the extent (its overlap is computed twice, to the same values).</summary>
    public static int TileStart(int i, int size, int extent) => Math.Min(i * size, extent - size);

    public static int TileCount(int size, int extent) => (extent + size - 1) / size;
}

/// <summary>
/// The chunks' tap-major partials [C·R·S, K] summed in chunk order and written to dw [K, C·R·S], a block of
/// <see cref="Rows"/> tap rows per index: each block summed in place over chunk 0's rows, then transposed into dw.
/// Why one parallel pass: summing all partials and then transposing the sum ran on the calling thread, 0.02 ms each per
/// conv VAE step while the other thread waited. Every element is the same sum in the same order as before.
/// </summary>
internal readonly struct TapMajorSumBody(float[] partials, int chunks, int taps, int k, float[] dw, int dwo) : IRangeBody
{
    /// <summary>Tap rows per block: one 16 × 16 register transpose high.</summary>
    public const int Rows = 16;

    public void Run(int start, int end)
    {
        var length = taps * k;
        _ = dw.AsSpan(dwo, length); // bounds: the transposes write dw[dwo … dwo + K·taps)
        for (var block = start; block < end; block++)
        {
            int first = block * Rows, rows = Math.Min(Rows, taps - first);
            var sums = partials.AsSpan(first * k, rows * k);
            for (var chunk = 1; chunk < chunks; chunk++)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(sums, partials.AsSpan(chunk * length + first * k, rows * k), sums);
            }

            LayoutKernels.TransposeRows(sums, rows, k, dw.AsSpan(dwo + first), taps);
        }
    }
}
