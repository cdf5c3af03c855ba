using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The data gradient of a convolution followed by a 2×2 max-pool (<see cref="IBackend.Conv2dMaxPoolBackwardData"/>) from
/// the winners alone (float32, AVX-512, S = 5, C a multiple of 32), as <see cref="WinnerWeightGradient"/> does for the
/// weights. Why: unpooling dy and running the data gradient over it (the route before, and oneDNN's) multiplies three
/// zeros for every value, and writes and reads the full-size dy. Here each window with a winner at output pixel (p, q)
/// adds dpooled · w[k, ·, r, s] to dx at (p·strideH + r − padH, q·strideW + s − padW) for every tap, with the input channels
/// along the vectors, into a padded channels-last copy of the image's dx that stays in L1; then the copy's interior goes to
/// NCHW. One image per task, each dx element summed in one fixed order (output channel, window, kernel row), so the result
/// does not depend on the thread count. A window without a winner adds nothing, where the dense route adds 0·w.
/// </summary>
internal static class WinnerDataGradient
{
    /// <summary>Input channels per pass: two vectors.</summary>
    private const int Channels = 32;

    public static bool Applies(ConvGeometry g) => WinnerWeightGradient.Applies(g);

    public static void Run(ConvGeometry g, float[] dpooled, int dpo, float[] code, int co, float[] w, int wo, float[] dx, int dxo, WorkerPool workers)
    {
        // w [K, C, R·S] → [K, R·S, C], on the calling thread, read by every task
        var arranged = PackBuffer<float>.ThreadArrangedWeights(g.WeightLength);
        LayoutKernels.Transpose<float>(w.AsSpan(wo, g.WeightLength), g.K, g.C, g.R * g.S, arranged.Array.AsSpan(arranged.Offset, g.WeightLength));
        CpuParallel.ForEach(workers, g.N, new WinnerDataBody(g, dpooled, dpo, code, co, arranged.Array, arranged.Offset, dx, dxo));
    }

    /// <summary>
    /// One kernel row of one output channel over one image's winners, for 32 input channels: for each winner e and tap s &lt; 5,
    /// the two vectors at dx[offsets[e] + s·pixelStride] += values[e] · weights[s·ws …], where <paramref name="dx"/> already
    /// points at the kernel row and the first of the channels, and the row's 10 weight vectors stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ref float dx, nint pixelStride, ref int offsets, ref float values, int count, ref float weights, nint ws)
    {
        var w00 = Vector512.LoadUnsafe(ref weights);
        var w01 = Vector512.LoadUnsafe(ref weights, 16);
        var w10 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, ws));
        var w11 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, ws), 16);
        var w20 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, 2 * ws));
        var w21 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, 2 * ws), 16);
        var w30 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, 3 * ws));
        var w31 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, 3 * ws), 16);
        var w40 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, 4 * ws));
        var w41 = Vector512.LoadUnsafe(ref Unsafe.Add(ref weights, 4 * ws), 16);
        for (var e = 0; e < count; e++)
        {
            ref var at = ref Unsafe.Add(ref dx, Unsafe.Add(ref offsets, e));
            var v = Vector512.Create(Unsafe.Add(ref values, e));
            Vector512.FusedMultiplyAdd(v, w00, Vector512.LoadUnsafe(ref at)).StoreUnsafe(ref at);
            Vector512.FusedMultiplyAdd(v, w01, Vector512.LoadUnsafe(ref at, 16)).StoreUnsafe(ref at, 16);
            ref var at1 = ref Unsafe.Add(ref at, pixelStride);
            Vector512.FusedMultiplyAdd(v, w10, Vector512.LoadUnsafe(ref at1)).StoreUnsafe(ref at1);
            Vector512.FusedMultiplyAdd(v, w11, Vector512.LoadUnsafe(ref at1, 16)).StoreUnsafe(ref at1, 16);
            ref var at2 = ref Unsafe.Add(ref at, 2 * pixelStride);
            Vector512.FusedMultiplyAdd(v, w20, Vector512.LoadUnsafe(ref at2)).StoreUnsafe(ref at2);
            Vector512.FusedMultiplyAdd(v, w21, Vector512.LoadUnsafe(ref at2, 16)).StoreUnsafe(ref at2, 16);
            ref var at3 = ref Unsafe.Add(ref at, 3 * pixelStride);
            Vector512.FusedMultiplyAdd(v, w30, Vector512.LoadUnsafe(ref at3)).StoreUnsafe(ref at3);
            Vector512.FusedMultiplyAdd(v, w31, Vector512.LoadUnsafe(ref at3, 16)).StoreUnsafe(ref at3, 16);
            ref var at4 = ref Unsafe.Add(ref at, 4 * pixelStride);
            Vector512.FusedMultiplyAdd(v, w40, Vector512.LoadUnsafe(ref at4)).StoreUnsafe(ref at4);
            Vector512.FusedMultiplyAdd(v, w41, Vector512.LoadUnsafe(ref at4, 16)).StoreUnsafe(ref at4, 16);
        }
    }
}

/// <summary>
/// One image per index: its dx accumulated in a cleared, aligned, padded channels-last block (<see cref="WinnerDataGradient.Row"/>
/// per output channel, kernel row and pair of channel vectors, over the channel's winners from
/// <see cref="WinnerWeightGradient.Winners"/>), then the block's interior compacted to [H·W, C] and transposed into dx.
/// </summary>
internal readonly struct WinnerDataBody(ConvGeometry g, float[] dpooled, int dpo, float[] code, int co, float[] arranged, int ao, float[] dx, int dxo) : IRangeBody
{
    public void Run(int start, int end)
    {
        int wp = g.W + 2 * g.PadW, rowStride = wp * g.C, blockLength = (g.H + 2 * g.PadH) * rowStride, windows = g.P / 2 * (g.Q / 2);
        int rsc = g.R * g.S * g.C, hw = g.H * g.W;
        var buffer = PackBuffer<float>.ThreadChannelsLast(blockLength);
        var (block, bo) = (buffer.Array, buffer.Offset);
        var compact = ConvScratch<float>.Staging(hw * g.C);
        // NOTE: one spare entry: every window's entry is written before it is counted
        var offsets = ConvScratch<int>.Columns(windows + 1);
        var values = ConvScratch<float>.Pooling(windows + 1);
        for (var n = start; n < end; n++)
        {
            block.AsSpan(bo, blockLength).Clear();
            for (var k = 0; k < g.K; k++)
            {
                var at = (n * g.K + k) * windows;
                var winners = WinnerWeightGradient.Winners(g, ref dpooled[dpo + at], ref code[co + at], offsets, values);
                for (var r = 0; r < g.R; r++)
                {
                    for (var c = 0; c < g.C; c += 32)
                    {
                        WinnerDataGradient.Row(ref block[bo + r * rowStride + c], g.C, ref offsets[0], ref values[0], winners,
                            ref arranged[ao + k * rsc + r * g.S * g.C + c], g.C);
                    }
                }
            }

            for (var y = 0; y < g.H; y++)
            {
                block.AsSpan(bo + (y + g.PadH) * rowStride + g.PadW * g.C, g.W * g.C).CopyTo(compact.AsSpan(y * g.W * g.C, g.W * g.C));
            }

            DirectConvLayout.ToChannelsFirst(compact.AsSpan(0, hw * g.C), hw, g.C, default, dx.AsSpan(dxo + n * g.C * hw, g.C * hw));
        }
    }
}
