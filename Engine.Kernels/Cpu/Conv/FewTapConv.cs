using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Forward and data gradient for layers with few taps per output (C·R·S ≤ <see cref="FewTapWeightGradient.MaxTaps"/>,
/// e.g. the conv VAE's 1 → 32 stride-2 layer), float32 with AVX-512, one image per task. Vectors run along the image's
/// flattened output pixels, so any stride works and the output is NCHW as computed:
/// <list type="bullet">
/// <item>forward: y[k, p] = bias[k] + Σ_j w[k, j] · col[j, p] over the image's im2col rows, 4 channels × 64 pixels a tile;</item>
/// <item>data gradient: dcol[j, p] = Σ_k w[k, j] · dy[k, p], 9 taps × 32 pixels a tile, then col2im.</item>
/// </list>
/// A tile past the last channel or tap repeats it, and the last pixel tile is moved back to end at the image; both
/// recompute values that are stored again unchanged.
/// Why: the GEMM route made a GEMM with an inner size of 9 (forward: [K, 9] · [9, pixels]) whose output went through
/// a copy from [K, chunk pixels] to NCHW: about 27 GFLOP/s, little more than PyTorch. Here each output is written once.
/// </summary>
internal static class FewTapConv
{
    private const int Width = 16;

    /// <summary>Output channels per forward tile.</summary>
    public const int ForwardChannels = 4;

    /// <summary>Pixels per forward tile (4 vectors).</summary>
    public const int ForwardPixels = 4 * Width;

    /// <summary>Taps per data-gradient tile.</summary>
    public const int DataTaps = 9;

    /// <summary>Pixels per data-gradient tile (2 vectors).</summary>
    public const int DataPixels = 2 * Width;

    public static bool AppliesToForward(ConvGeometry g) => Applies(g) && g.P * g.Q >= ForwardPixels;

    public static bool AppliesToData(ConvGeometry g) => Applies(g) && g.P * g.Q >= DataPixels;

    private static bool Applies(ConvGeometry g) =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && g.N > 0 && g.K > 0
        && (long)g.C * g.R * g.S <= FewTapWeightGradient.MaxTaps;

    public static void Forward(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[]? bias, int bo, float[] y, int yo, bool relu, WorkerPool workers) =>
        CpuParallel.ForEach(workers, g.N, new FewTapForwardBody(g, x, xo, w, wo, bias, bo, y, yo, relu));

    public static void BackwardData(ConvGeometry g, float[] dy, int dyo, float[] w, int wo, float[]? bias, int bo, float[] dx, int dxo, bool relu, WorkerPool workers) =>
        CpuParallel.ForEach(workers, g.N, new FewTapDataBody(g, dy, dyo, w, wo, bias, bo, dx, dxo, relu));

    /// <summary>
    /// y[yRows[i] + v·16 + 0…15] = bias[i] + Σ_j w[wRows[i] + j] · col[j·colRow + v·16 + 0…15] for the 4 channels i and
    /// 4 vectors v.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardTile(
        ref float w, ReadOnlySpan<int> wRows, ReadOnlySpan<float> bias, ref float col, nint colRow, int taps, ref float y, ReadOnlySpan<int> yRows)
    {
        nint w0 = wRows[0], w1 = wRows[1], w2 = wRows[2], w3 = wRows[3];
        Vector512<float> b0 = Vector512.Create(bias[0]), b1 = Vector512.Create(bias[1]), b2 = Vector512.Create(bias[2]), b3 = Vector512.Create(bias[3]);
        Vector512<float> a00 = b0, a01 = b0, a02 = b0, a03 = b0, a10 = b1, a11 = b1, a12 = b1, a13 = b1;
        Vector512<float> a20 = b2, a21 = b2, a22 = b2, a23 = b2, a30 = b3, a31 = b3, a32 = b3, a33 = b3;
        for (nint j = 0; j < taps; j++)
        {
            ref var row = ref Unsafe.Add(ref col, j * colRow);
            var x0 = Vector512.LoadUnsafe(ref row);
            var x1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref row, Width));
            var x2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref row, 2 * Width));
            var x3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref row, 3 * Width));
            var c = Vector512.Create(Unsafe.Add(ref w, w0 + j));
            a00 = Vector512.FusedMultiplyAdd(x0, c, a00); a01 = Vector512.FusedMultiplyAdd(x1, c, a01);
            a02 = Vector512.FusedMultiplyAdd(x2, c, a02); a03 = Vector512.FusedMultiplyAdd(x3, c, a03);
            c = Vector512.Create(Unsafe.Add(ref w, w1 + j));
            a10 = Vector512.FusedMultiplyAdd(x0, c, a10); a11 = Vector512.FusedMultiplyAdd(x1, c, a11);
            a12 = Vector512.FusedMultiplyAdd(x2, c, a12); a13 = Vector512.FusedMultiplyAdd(x3, c, a13);
            c = Vector512.Create(Unsafe.Add(ref w, w2 + j));
            a20 = Vector512.FusedMultiplyAdd(x0, c, a20); a21 = Vector512.FusedMultiplyAdd(x1, c, a21);
            a22 = Vector512.FusedMultiplyAdd(x2, c, a22); a23 = Vector512.FusedMultiplyAdd(x3, c, a23);
            c = Vector512.Create(Unsafe.Add(ref w, w3 + j));
            a30 = Vector512.FusedMultiplyAdd(x0, c, a30); a31 = Vector512.FusedMultiplyAdd(x1, c, a31);
            a32 = Vector512.FusedMultiplyAdd(x2, c, a32); a33 = Vector512.FusedMultiplyAdd(x3, c, a33);
        }

        StoreRow(ref Unsafe.Add(ref y, yRows[0]), a00, a01, a02, a03);
        StoreRow(ref Unsafe.Add(ref y, yRows[1]), a10, a11, a12, a13);
        StoreRow(ref Unsafe.Add(ref y, yRows[2]), a20, a21, a22, a23);
        StoreRow(ref Unsafe.Add(ref y, yRows[3]), a30, a31, a32, a33);
    }

    /// <summary>
    /// dcol[tapRows[t]·colRow + v·16 + 0…15] = Σ_k w[k·taps + tapRows[t]] · dy[k·dyRow + v·16 + 0…15] for the 9 taps t and
    /// 2 vectors v.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DataTile(ref float w, int taps, ReadOnlySpan<int> tapRows, ref float dy, nint dyRow, int channels, ref float dcol, nint colRow)
    {
        nint t0 = tapRows[0], t1 = tapRows[1], t2 = tapRows[2], t3 = tapRows[3], t4 = tapRows[4];
        nint t5 = tapRows[5], t6 = tapRows[6], t7 = tapRows[7], t8 = tapRows[8];
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<float> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        Vector512<float> a60 = default, a61 = default, a70 = default, a71 = default, a80 = default, a81 = default;
        ref var wk = ref w;
        ref var d = ref dy;
        for (var k = 0; k < channels; k++)
        {
            var d0 = Vector512.LoadUnsafe(ref d);
            var d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, Width));
            var c = Vector512.Create(Unsafe.Add(ref wk, t0));
            a00 = Vector512.FusedMultiplyAdd(d0, c, a00); a01 = Vector512.FusedMultiplyAdd(d1, c, a01);
            c = Vector512.Create(Unsafe.Add(ref wk, t1));
            a10 = Vector512.FusedMultiplyAdd(d0, c, a10); a11 = Vector512.FusedMultiplyAdd(d1, c, a11);
            c = Vector512.Create(Unsafe.Add(ref wk, t2));
            a20 = Vector512.FusedMultiplyAdd(d0, c, a20); a21 = Vector512.FusedMultiplyAdd(d1, c, a21);
            c = Vector512.Create(Unsafe.Add(ref wk, t3));
            a30 = Vector512.FusedMultiplyAdd(d0, c, a30); a31 = Vector512.FusedMultiplyAdd(d1, c, a31);
            c = Vector512.Create(Unsafe.Add(ref wk, t4));
            a40 = Vector512.FusedMultiplyAdd(d0, c, a40); a41 = Vector512.FusedMultiplyAdd(d1, c, a41);
            c = Vector512.Create(Unsafe.Add(ref wk, t5));
            a50 = Vector512.FusedMultiplyAdd(d0, c, a50); a51 = Vector512.FusedMultiplyAdd(d1, c, a51);
            c = Vector512.Create(Unsafe.Add(ref wk, t6));
            a60 = Vector512.FusedMultiplyAdd(d0, c, a60); a61 = Vector512.FusedMultiplyAdd(d1, c, a61);
            c = Vector512.Create(Unsafe.Add(ref wk, t7));
            a70 = Vector512.FusedMultiplyAdd(d0, c, a70); a71 = Vector512.FusedMultiplyAdd(d1, c, a71);
            c = Vector512.Create(Unsafe.Add(ref wk, t8));
            a80 = Vector512.FusedMultiplyAdd(d0, c, a80); a81 = Vector512.FusedMultiplyAdd(d1, c, a81);
            wk = ref Unsafe.Add(ref wk, taps);
            d = ref Unsafe.Add(ref d, dyRow);
        }

        StorePair(ref Unsafe.Add(ref dcol, t0 * colRow), a00, a01);
        StorePair(ref Unsafe.Add(ref dcol, t1 * colRow), a10, a11);
        StorePair(ref Unsafe.Add(ref dcol, t2 * colRow), a20, a21);
        StorePair(ref Unsafe.Add(ref dcol, t3 * colRow), a30, a31);
        StorePair(ref Unsafe.Add(ref dcol, t4 * colRow), a40, a41);
        StorePair(ref Unsafe.Add(ref dcol, t5 * colRow), a50, a51);
        StorePair(ref Unsafe.Add(ref dcol, t6 * colRow), a60, a61);
        StorePair(ref Unsafe.Add(ref dcol, t7 * colRow), a70, a71);
        StorePair(ref Unsafe.Add(ref dcol, t8 * colRow), a80, a81);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(ref float to, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        v0.StoreUnsafe(ref to);
        v1.StoreUnsafe(ref Unsafe.Add(ref to, Width));
        v2.StoreUnsafe(ref Unsafe.Add(ref to, 2 * Width));
        v3.StoreUnsafe(ref Unsafe.Add(ref to, 3 * Width));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(ref float to, Vector512<float> v0, Vector512<float> v1)
    {
        v0.StoreUnsafe(ref to);
        v1.StoreUnsafe(ref Unsafe.Add(ref to, Width));
    }
}

/// <summary>
/// One image per index: its im2col rows, then <see cref="FewTapConv.ForwardTile"/>s into a staging block in cache, copied
/// to y in one sequential run. Why not straight into y: the tiles' stores go to K rows at once, the last tile of each
/// overlapping the one before, and y (2.5 MB in the conv VAE) is usually not in cache; inside the conv VAE step the copy
/// took the layer from 0.150 to 0.123 ms (the 1 → 32 convolution) and from 0.155 to 0.113 (the data gradient of the
/// last transposed convolution), and the ReLU gradient that reads the latter next from 0.045 to 0.037.
/// </summary>
internal readonly struct FewTapForwardBody(ConvGeometry g, float[] x, int xo, float[] w, int wo, float[]? bias, int bo, float[] y, int yo, bool relu) : IRangeBody
{
    public void Run(int start, int end)
    {
        const int Channels = FewTapConv.ForwardChannels;
        int taps = g.C * g.R * g.S, pq = g.P * g.Q, chw = g.C * g.H * g.W;
        Span<int> wRows = stackalloc int[Channels];
        Span<int> yRows = stackalloc int[Channels];
        Span<float> tileBias = stackalloc float[Channels];
        var col = ConvScratch<float>.Columns(taps * pq);
        var staged = ConvScratch<float>.Staging(g.K * pq); // the image's output, [K, P·Q], copied to y in one run
        _ = w.AsSpan(wo, g.WeightLength); // bounds: the tiles read w[wo … wo + K·taps)
        for (var n = start; n < end; n++)
        {
            ConvLayout.Im2Col(g, x.AsSpan(xo + n * chw, chw), col, 0, pq);
            ref var image = ref staged[0];
            for (var k0 = 0; k0 < g.K; k0 += Channels)
            {
                for (var i = 0; i < Channels; i++)
                {
                    var k = Math.Min(k0 + i, g.K - 1); // past the last channel: the last again
                    (wRows[i], yRows[i], tileBias[i]) = (k * taps, k * pq, bias is null ? 0f : bias[bo + k]);
                }

                for (var t = 0; t < DirectConv.TileCount(FewTapConv.ForwardPixels, pq); t++)
                {
                    var p = DirectConv.TileStart(t, FewTapConv.ForwardPixels, pq);
                    FewTapConv.ForwardTile(ref w[wo], wRows, tileBias, ref col[p], pq, taps, ref Unsafe.Add(ref image, p), yRows);
                }
            }

            if (relu)
            {
                ConvLayout.Rectify(staged.AsSpan(0, g.K * pq));
            }

            staged.AsSpan(0, g.K * pq).CopyTo(y.AsSpan(yo + n * g.K * pq, g.K * pq));
        }
    }
}

/// <summary>One image per index: <see cref="FewTapConv.DataTile"/>s into its column rows, then col2im into dx (and the bias, while the image is in cache).</summary>
internal readonly struct FewTapDataBody(ConvGeometry g, float[] dy, int dyo, float[] w, int wo, float[]? bias, int bo, float[] dx, int dxo, bool relu) : IRangeBody
{
    public void Run(int start, int end)
    {
        const int Taps = FewTapConv.DataTaps;
        int taps = g.C * g.R * g.S, pq = g.P * g.Q, chw = g.C * g.H * g.W;
        Span<int> tapRows = stackalloc int[Taps];
        var col = ConvScratch<float>.Columns(taps * pq);
        _ = w.AsSpan(wo, g.WeightLength); // bounds: the tiles read w[wo … wo + K·taps)
        for (var n = start; n < end; n++)
        {
            ref var image = ref dy[dyo + n * g.K * pq];
            _ = dy.AsSpan(dyo + n * g.K * pq, g.K * pq);
            for (var j0 = 0; j0 < taps; j0 += Taps)
            {
                for (var t = 0; t < Taps; t++)
                {
                    tapRows[t] = Math.Min(j0 + t, taps - 1); // past the last tap: the last again
                }

                for (var i = 0; i < DirectConv.TileCount(FewTapConv.DataPixels, pq); i++)
                {
                    var p = DirectConv.TileStart(i, FewTapConv.DataPixels, pq);
                    FewTapConv.DataTile(ref w[wo], taps, tapRows, ref Unsafe.Add(ref image, p), pq, g.K, ref col[p], pq);
                }
            }

            var dxImage = dx.AsSpan(dxo + n * chw, chw);
            ConvLayout.Col2Im(g, col, 0, pq, dxImage);
            if (bias is not null)
            {
                ConvLayout.AddChannelBias<float>(dxImage, g.C, g.H * g.W, bias.AsSpan(bo, g.C));
            }

            if (relu)
            {
                ConvLayout.Rectify(dxImage);
            }
        }
    }
}
