namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The data gradient of a stride-2 convolution (a transposed convolution's forward), direct in float32 with AVX-512.
/// Split dx by the parity of its row and column into four phases: phase (ph, pw) pixel (m, l) is dx at (2m + ph, 2l + pw),
/// and only the taps r with ph + PadH − r even (s likewise) reach it, from dy row m + (ph + PadH − r)/2. So each phase is a
/// stride-1 convolution of dy (K channels, zero-padded) with its share of the taps, and its C output channels run through
/// <see cref="DirectConvTiles"/> like a forward pass; the four phase planes are then interleaved into dx. Why: im2col's
/// route runs a GEMM with an inner size of only K and scatters every column back with col2im (the conv VAE's 32↔64 layers).
/// </summary>
internal static class PhaseDataGradient
{
    private const int Width = 16;

    /// <summary>Stride 2 both ways, even H and W (four phases of H/2 × W/2), C in whole vectors, rows of at least one tile, enough taps.</summary>
    public static bool Applies(ConvGeometry g) =>
        DirectConv.Supported && DirectConv.IsDense(g) && g.StrideH == 2 && g.R >= 2 && g.S >= 2
        && g.H % 2 == 0 && g.W % 2 == 0 && g.W / 2 >= DirectConvTiles.Pixels && g.C % Width == 0
        && (g.C % (2 * Width) == 0 || g.H / 2 >= 2) && (long)g.K * g.R * g.S >= DirectConv.MinTaps;

    public static void Run(ConvGeometry g, float[] dy, int dyo, float[] w, int wo, float[]? bias, int bo, float[] dx, int dxo, bool relu, WorkerPool workers)
    {
        var layout = new PhaseLayout(g);
        var arranged = ConvScratch<float>.DirectWeights(g.WeightLength);
        Span<int> order = stackalloc int[g.R * g.S];
        Span<int> starts = stackalloc int[5];
        layout.Taps(order, default, starts);
        ArrangeWeights(g, w.AsSpan(wo, g.WeightLength), order, starts, arranged);
        CpuParallel.ForEach(workers, g.N, new PhaseDataGradientBody(g, layout, dy, dyo, arranged, bias, bo, dx, dxo, relu, workers.Threads));
    }

    /// <summary>Phase p's weights as [K, T_p, C] at K·C·starts[p]: arranged[K·C·starts[p] + (k·T_p + t)·C + c] = w[k, c, tap order[starts[p] + t]].</summary>
    private static void ArrangeWeights(ConvGeometry g, ReadOnlySpan<float> w, ReadOnlySpan<int> order, ReadOnlySpan<int> starts, Span<float> arranged)
    {
        var rs = g.R * g.S;
        for (var p = 0; p < 4; p++)
        {
            var taps = starts[p + 1] - starts[p];
            var phase = arranged[(g.K * g.C * starts[p])..];
            for (var k = 0; k < g.K; k++)
            {
                for (var t = 0; t < taps; t++)
                {
                    var tap = order[starts[p] + t];
                    for (var c = 0; c < g.C; c++)
                    {
                        phase[(k * taps + t) * g.C + c] = w[(k * g.C + c) * rs + tap];
                    }
                }
            }
        }
    }
}

/// <summary>Where each phase's taps read in the zero-padded dy: the padding every phase needs, and the taps in phase order.</summary>
internal readonly struct PhaseLayout
{
    public PhaseLayout(ConvGeometry g)
    {
        G = g;
        var (top, bottom) = Padding(g.R, g.PadH, g.H / 2, g.P);
        var (left, right) = Padding(g.S, g.PadW, g.W / 2, g.Q);
        (Top, Left) = (top, left);
        Rows = g.P + top + bottom;
        Cols = g.Q + left + right;
    }

    public ConvGeometry G { get; }

    /// <summary>Zero rows above dy in the padded plane.</summary>
    public int Top { get; }

    /// <summary>Zero columns left of dy in the padded plane.</summary>
    public int Left { get; }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>
    /// The R·S taps grouped by phase p = 2·ph + pw (each group row-major): order[i] is the tap r·S + s, offsets[i] where it
    /// reads in the padded plane relative to the phase pixel's origin (skipped when empty), starts[p] where phase p's group begins.
    /// </summary>
    public void Taps(Span<int> order, Span<int> offsets, Span<int> starts)
    {
        var i = 0;
        for (var p = 0; p < 4; p++)
        {
            starts[p] = i;
            int ph = p / 2, pw = p % 2;
            for (var r = 0; r < G.R; r++)
            {
                for (var s = 0; s < G.S; s++)
                {
                    if ((ph + G.PadH - r) % 2 != 0 || (pw + G.PadW - s) % 2 != 0)
                    {
                        continue;
                    }

                    order[i] = r * G.S + s;
                    if (!offsets.IsEmpty)
                    {
                        offsets[i] = ((ph + G.PadH - r) / 2 + Top) * Cols + (pw + G.PadW - s) / 2 + Left;
                    }

                    i++;
                }
            }
        }

        starts[4] = i;
    }

    /// <summary>Zero rows before and after dy so that every phase pixel m in [0, half) reads rows m + δ, δ = (ph + pad − r)/2, inside the plane.</summary>
    private static (int Before, int After) Padding(int taps, int pad, int half, int extent)
    {
        int low = int.MaxValue, high = int.MinValue;
        for (var phase = 0; phase < 2; phase++)
        {
            for (var r = 0; r < taps; r++)
            {
                if ((phase + pad - r) % 2 == 0)
                {
                    var delta = (phase + pad - r) / 2;
                    (low, high) = (Math.Min(low, delta), Math.Max(high, delta));
                }
            }
        }

        return (Math.Max(0, -low), Math.Max(0, half - 1 + high - (extent - 1)));
    }
}

/// <summary>
/// One image per index: pad its dy, run each phase's tiles into its pixels of one [H·W, C] channels-last block (every
/// other pixel of every other row), then transpose that block into dx with the bias.
/// Why one block: staging each phase apart, transposing it into a [C, H/2·W/2] plane and interleaving the four planes
/// into dx cost three passes over dx, the second and third in rows of 7 and 14 floats (about half the tiles' time
/// under <c>perf</c> in IS-NLL conv).
/// </summary>
internal readonly struct PhaseDataGradientBody(ConvGeometry g, PhaseLayout layout, float[] dy, int dyo, float[] weights, float[]? bias, int bo, float[] dx, int dxo, bool relu, int threads) : IRangeBody
{
    public void Run(int start, int end)
    {
        int plane = layout.Rows * layout.Cols, half = g.H / 2, cols = g.W / 2, hw = g.H * g.W, kpq = g.K * g.P * g.Q, chw = g.C * hw;
        var padded = ConvScratch<float>.Columns(g.K * plane);
        var staged = ConvScratch<float>.Staging(hw * g.C).AsSpan(0, hw * g.C); // [H·W, C]
        var image = ConvScratch<float>.Phases(chw).AsSpan(0, chw); // [C, H, W]
        Span<int> order = stackalloc int[g.R * g.S];
        Span<int> offsets = stackalloc int[g.R * g.S];
        Span<int> starts = stackalloc int[5];
        layout.Taps(order, offsets, starts);
        var dyGeometry = new ConvGeometry(1, g.K, g.P, g.Q, 0, 0, 0, 1, 1, layout.Top, layout.Left, 0, 0);
        ReadOnlySpan<float> channelBias = bias is null ? default : bias.AsSpan(bo, g.C);
        for (var n = start; n < end; n++)
        {
            DirectConvLayout.Pad(dyGeometry, dy.AsSpan(dyo + n * kpq, kpq), padded, layout.Rows, layout.Cols);
            var next = DirectConvPlane.LikelyNext(n, threads, g.N);
            var ahead = next < 0 ? default : dy.AsSpan(dyo + next * kpq, kpq); // a quarter prefetched during each phase
            for (var p = 0; p < 4; p++)
            {
                int ph = p / 2, pw = p % 2; // phase pixel (m, j) is dx pixel (2m + ph, 2j + pw)
                DirectConvPlane.Run<StrideOne>(ref padded[0], layout.Cols, plane, g.K, offsets[starts[p]..starts[p + 1]], ref weights[g.K * g.C * starts[p]],
                    g.C, half, cols, staged[(((ph * g.W) + pw) * g.C)..], stagedPixel: 2 * g.C, stagedRow: 2 * g.W * g.C,
                    ahead.IsEmpty ? default : ahead[(ahead.Length * p / 4)..(ahead.Length * (p + 1) / 4)]);
            }

            // transposed in cache, then written to dx in one sequential run: the transpose's own stores, 16 floats to each of
            // 16 rows 4·H·W bytes apart, were slower than the extra copy when dx streams to memory (IS-NLL conv, one thread)
            DirectConvLayout.ToChannelsFirst(staged, hw, g.C, channelBias, image, relu);
            image.CopyTo(dx.AsSpan(dxo + n * chw, chw));
        }
    }
}
