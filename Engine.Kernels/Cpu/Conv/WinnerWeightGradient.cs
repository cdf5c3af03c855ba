using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The weight gradient of a convolution followed by a 2×2 max-pool (<see cref="PooledConv"/>) from the winners alone
/// (float32, AVX-512, S = 5, C a multiple of 32). Why: the unpooled dy is zero at three of every window's four pixels, and
/// every other route multiplies those zeros (the direct route unpools into its channels-last dy and runs all of its
/// multiply-adds; oneDNN, the peer's, does the same after a separate unpooling). Here each window contributes once, at its
/// winner: dw'[k, r, s, c] += dpooled[n, k, window] · x[n, c, winner row·stride + r − pad, winner column·stride + s − pad],
/// with the input channels along the vectors (x padded and channels-last per chunk of images,
/// <see cref="ChannelsLastWeightGradient.PadChannelsLast{T}"/>): a quarter of the multiply-adds. One task per chunk of
/// images on the thread that claims it, into its own partial sums, added in chunk order, so the result does not depend on
/// the thread count. A window without a winner (the ReLU after the pool cut it) contributes nothing, where the dense routes
/// add 0·x (the same unless x holds an infinity or NaN).
/// </summary>
internal static class WinnerWeightGradient
{
    /// <summary>Input channels per pass: two vectors.</summary>
    private const int Channels = 32;

    /// <summary>Kernel width the register tile holds: one kernel row, 5 taps × 2 channel vectors = 10 accumulators.</summary>
    private const int Width = 5;

    public static bool Applies(ConvGeometry g) =>
        Vector512.IsHardwareAccelerated && g.S == Width && g.C % Channels == 0 && g.P % 2 == 0 && g.Q % 2 == 0
        && ChannelsLastWeightGradient.Applies(g);

    /// <summary>dw, and db when given (the pooled gradient's sum per channel over the windows with a winner).</summary>
    public static void Run(ConvGeometry g, float[] x, int xo, float[] dpooled, int dpo, float[] code, int co, float[] dw, int dwo, float[]? db, int dbo, WorkerPool workers)
    {
        var images = DirectConv.WeightImagesPerChunk(g);
        var chunks = (g.N + images - 1) / images;
        var perChunk = g.WeightLength + g.K; // [K, R, S, C] then the bias sums
        var partials = ConvScratch<float>.Partials(chunks * perChunk);
        CpuParallel.ForEach(workers, chunks, new WinnerWeightChunkBody(g, x, xo, dpooled, dpo, code, co, partials, images));
        var sums = partials.AsSpan(0, perChunk);
        ConvChunking.SumPartials<float>(partials, chunks, perChunk, sums);

        LayoutKernels.Transpose<float>(sums[..g.WeightLength], g.K, g.R * g.S, g.C, dw.AsSpan(dwo, g.WeightLength));
        if (db is not null)
        {
            sums.Slice(g.WeightLength, g.K).CopyTo(db.AsSpan(dbo, g.K));
        }
    }

    /// <summary>
    /// One kernel row of one output channel over one image's winners, for 32 input channels: sums[s·cs + lane] (s &lt; 5, two
    /// vectors at each) += Σ over the winners e of values[e] · padded[offsets[e] + s·pixelStride + lane], where
    /// <paramref name="padded"/> already points at the image's kernel row and the first of the channels.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ref float padded, nint pixelStride, ref int offsets, ref float values, int count, ref float sums, nint cs)
    {
        var a00 = Vector512.LoadUnsafe(ref sums);
        var a01 = Vector512.LoadUnsafe(ref sums, 16);
        var a10 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, cs));
        var a11 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, cs), 16);
        var a20 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, 2 * cs));
        var a21 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, 2 * cs), 16);
        var a30 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, 3 * cs));
        var a31 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, 3 * cs), 16);
        var a40 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, 4 * cs));
        var a41 = Vector512.LoadUnsafe(ref Unsafe.Add(ref sums, 4 * cs), 16);
        for (var e = 0; e < count; e++)
        {
            ref var at = ref Unsafe.Add(ref padded, Unsafe.Add(ref offsets, e));
            var v = Vector512.Create(Unsafe.Add(ref values, e));
            a00 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at), a00);
            a01 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at, 16), a01);
            ref var at1 = ref Unsafe.Add(ref at, pixelStride);
            a10 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at1), a10);
            a11 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at1, 16), a11);
            ref var at2 = ref Unsafe.Add(ref at, 2 * pixelStride);
            a20 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at2), a20);
            a21 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at2, 16), a21);
            ref var at3 = ref Unsafe.Add(ref at, 3 * pixelStride);
            a30 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at3), a30);
            a31 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at3, 16), a31);
            ref var at4 = ref Unsafe.Add(ref at, 4 * pixelStride);
            a40 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at4), a40);
            a41 = Vector512.FusedMultiplyAdd(v, Vector512.LoadUnsafe(ref at4, 16), a41);
        }

        a00.StoreUnsafe(ref sums);
        a01.StoreUnsafe(ref sums, 16);
        a10.StoreUnsafe(ref Unsafe.Add(ref sums, cs));
        a11.StoreUnsafe(ref Unsafe.Add(ref sums, cs), 16);
        a20.StoreUnsafe(ref Unsafe.Add(ref sums, 2 * cs));
        a21.StoreUnsafe(ref Unsafe.Add(ref sums, 2 * cs), 16);
        a30.StoreUnsafe(ref Unsafe.Add(ref sums, 3 * cs));
        a31.StoreUnsafe(ref Unsafe.Add(ref sums, 3 * cs), 16);
        a40.StoreUnsafe(ref Unsafe.Add(ref sums, 4 * cs));
        a41.StoreUnsafe(ref Unsafe.Add(ref sums, 4 * cs), 16);
    }

    /// <summary>
    /// The winners of one output channel's windows in one image, in window order: where each one's receptive field starts
    /// in the image's padded channels-last planes, and its pooled gradient. Written without a branch per
    /// window (each entry is written, and counted only when the window has a winner): the ReLU before the pool leaves about
    /// half the windows without one, at random, which a branch mispredicts. Returns the count.
    /// </summary>
    public static int Winners(ConvGeometry g, ref float gradient, ref float winners, Span<int> offsets, Span<float> values)
    {
        int halfP = g.P / 2, halfQ = g.Q / 2, rowStride = (g.W + 2 * g.PadW) * g.C;
        ref var o = ref MemoryMarshal.GetReference(offsets);
        ref var v = ref MemoryMarshal.GetReference(values);
        var count = 0;
        var window = 0;
        for (var i = 0; i < halfP; i++)
        {
            for (var j = 0; j < halfQ; j++, window++)
            {
                var code = (int)Unsafe.Add(ref winners, window);
                var row = 2 * i + ((code >> 1) & 1);
                var column = 2 * j + (code & 1);
                Unsafe.Add(ref o, count) = row * g.StrideH * rowStride + column * g.StrideW * g.C;
                Unsafe.Add(ref v, count) = Unsafe.Add(ref gradient, window);
                count += (uint)code < PoolArgmaxKernels.NoWinner ? 1 : 0;
            }
        }

        return count;
    }
}

/// <summary>
/// One chunk of images per index: the chunk's x padded channels-last; then per image and output channel its winners
/// (<see cref="WinnerWeightGradient.Winners"/>, whose values summed are the image's bias share) and
/// <see cref="WinnerWeightGradient.Row"/> for every (kernel row, pair of channel vectors), added into the chunk's
/// [K, R, S, C] partial sums.
/// </summary>
internal readonly struct WinnerWeightChunkBody(ConvGeometry g, float[] x, int xo, float[] dpooled, int dpo, float[] code, int co, float[] partials, int images) : IRangeBody
{
    public void Run(int start, int end)
    {
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, chw = g.C * g.H * g.W, windows = g.P / 2 * (g.Q / 2);
        int planeLength = hp * wp * g.C, perChunk = g.WeightLength + g.K;
        // NOTE: scratch for a whole chunk up front, as ChannelsLastWeightBody does: chunks are claimed first come first served
        PackBuffer<float>.ThreadChannelsLast(images * planeLength);
        ConvScratch<int>.Columns(windows + 1);
        ConvScratch<float>.Staging(windows + 1);
        for (var chunk = start; chunk < end; chunk++)
        {
            var first = chunk * images;
            var count = Math.Min(images, g.N - first);
            var buffer = PackBuffer<float>.ThreadChannelsLast(count * planeLength);
            var (padded, po) = (buffer.Array, buffer.Offset);
            ChannelsLastWeightGradient.PadChannelsLast<float>(g, x.AsSpan(xo + first * chw, count * chw), count, padded.AsSpan(po, count * planeLength));
            // NOTE: one spare entry: every window's entry is written before it is counted
            var offsets = ConvScratch<int>.Columns(windows + 1);
            var values = ConvScratch<float>.Staging(windows + 1);
            var slot = partials.AsSpan(chunk * perChunk, perChunk);
            slot.Clear();
            ref var sums = ref MemoryMarshal.GetReference(slot);
            // NOTE: image by image, so that image's padded input (41 KB in the hypernetwork's second layer) is read from L1 by
            // every output channel and kernel row; over the whole chunk at once, each row's ten loads came from L2
            for (var n = 0; n < count; n++)
            {
                for (var k = 0; k < g.K; k++)
                {
                    var at = ((first + n) * g.K + k) * windows;
                    var winners = WinnerWeightGradient.Winners(g, ref dpooled[dpo + at], ref code[co + at], offsets, values);
                    slot[g.WeightLength + k] += System.Numerics.Tensors.TensorPrimitives.Sum<float>(values.AsSpan(0, winners));
                    for (var r = 0; r < g.R; r++)
                    {
                        for (var c = 0; c < g.C; c += 32)
                        {
                            WinnerWeightGradient.Row(ref padded[po + n * planeLength + r * wp * g.C + c], g.C, ref offsets[0], ref values[0], winners,
                                ref Unsafe.Add(ref sums, (k * g.R + r) * g.S * g.C + c), g.C);
                        }
                    }
                }
            }
        }
    }
}
