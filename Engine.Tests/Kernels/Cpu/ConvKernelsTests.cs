using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.Cpu.Conv;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The chunked im2col convolution kernels on batches large enough for several images per chunk (and a
/// short last chunk): float64 against a direct loop, float32 identical on 1 and 2 threads, and no
/// allocations once warm.
/// </summary>
public class ConvKernelsTests
{
    /// <summary>Stride 1 or 2 with K in whole 16-float vectors: float32 takes <see cref="DirectConv"/> where AVX-512 exists. Declared before <see cref="Cases"/>, which spreads it.</summary>
    private static readonly ConvGeometry[] DirectCases =
    [
        ConvGeometry.ForConv(n: 3, c: 4, h: 9, w: 8, k: 32, r: 5, s: 5, stride: 1, pad: 2), // vector pairs; Q = 8: the last 7-pixel tile moved back
        ConvGeometry.ForConv(n: 4, c: 16, h: 9, w: 14, k: 16, r: 5, s: 5, stride: 1, pad: 2), // one vector: row pairs, P odd; weight gradient by channel pairs; flipped data gradient direct too
        ConvGeometry.ForConv(n: 2, c: 12, h: 6, w: 7, k: 48, r: 3, s: 3, stride: 1, pad: 1), // a vector pair and an odd vector; 9 taps: the last 5-tap block moved back
        ConvGeometry.ForConv(n: 3, c: 32, h: 7, w: 7, k: 16, r: 3, s: 3, stride: 1, pad: 0), // Q = 5 < 7: forward by im2col, weight gradient direct; flipped data gradient (Q = 7) direct
        new ConvGeometry(N: 2, C: 7, H: 8, W: 10, K: 16, R: 3, S: 5, StrideH: 1, StrideW: 1, PadH: 0, PadW: 2, P: 6, Q: 10), // unequal padding; C odd with one vector: weight gradient by im2col
        ConvGeometry.ForConv(n: 3, c: 12, h: 13, w: 15, k: 32, r: 3, s: 3, stride: 2, pad: 1), // stride 2: vector pairs, Q = 8
        ConvGeometry.ForConv(n: 2, c: 12, h: 12, w: 16, k: 32, r: 3, s: 3, stride: 2, pad: 1), // stride 2, vector pairs, P = 6: two-row tiles only
        ConvGeometry.ForConv(n: 2, c: 16, h: 16, w: 16, k: 16, r: 3, s: 3, stride: 2, pad: 1), // stride 2, one vector: row pairs two input rows apart; weight gradient by channel pairs
        ConvGeometry.ForConv(n: 2, c: 8, h: 14, w: 17, k: 16, r: 4, s: 4, stride: 2, pad: 0), // stride 2 with an input column and row no tap reads; 16 taps: the last block moved back
        ConvGeometry.ForConv(n: 3, c: 12, h: 35, w: 40, k: 32, r: 3, s: 3, stride: 1, pad: 1), // dy beyond DirectConv.MaxWeightGradientDy: forward direct, weight gradient by im2col
        ConvGeometry.ForConv(n: 2, c: 6, h: 9, w: 14, k: 16, r: 5, s: 5, stride: 1, pad: 2), // one vector, C = 6: weight gradient by channel pairs (C % 4 ≠ 0); the others with one vector take four channels
        ConvGeometry.ForConv(n: 3, c: 13, h: 9, w: 10, k: 128, r: 3, s: 3, stride: 1, pad: 1), // K = 128: weight gradient by 6 × 4 tiles, two vector groups; C·R·S = 117, the last 6-pair block moved back
    ];

    /// <summary>Stride 1 with few taps (C·R·S &lt; DirectConv.MinTaps) and rows of at least 16 pixels: float32 takes <see cref="WideConv"/> where AVX-512 exists.</summary>
    private static readonly ConvGeometry[] WideCases =
    [
        ConvGeometry.ForConv(n: 3, c: 1, h: 20, w: 20, k: 16, r: 5, s: 5, stride: 1, pad: 2), // two blocks a row, the second moved back by 12 pixels
        ConvGeometry.ForConv(n: 2, c: 2, h: 6, w: 16, k: 8, r: 3, s: 3, stride: 1, pad: 1), // one block a row (paired with itself); 9 taps: the last 5-tap block moved back
        new ConvGeometry(N: 2, C: 3, H: 5, W: 40, K: 24, R: 1, S: 5, StrideH: 1, StrideW: 1, PadH: 0, PadW: 0, P: 5, Q: 36), // three blocks: a pair, then the last alone
        ConvGeometry.ForConv(n: 2, c: 1, h: 8, w: 18, k: 12, r: 3, s: 3, stride: 1, pad: 1), // K = 12: forward by im2col, weight gradient wide
        ConvGeometry.ForConv(n: 7, c: 2, h: 24, w: 28, k: 8, r: 3, s: 3, stride: 1, pad: 1), // weight gradient over two image chunks (4 + 3), 9 taps
    ];

    /// <summary>P·Q ≥ BackwardWeightBody.LongInner: per-image weight GEMMs.</summary>
    private static readonly ConvGeometry LongInnerCase = ConvGeometry.ForConv(n: 13, c: 1, h: 16, w: 16, k: 3, r: 3, s: 3, stride: 1, pad: 1);

    /// <summary>Stride 2, even H and W, C in whole vectors: float32's data gradient takes <see cref="PhaseDataGradient"/> where AVX-512 exists.</summary>
    private static readonly ConvGeometry[] PhaseCases =
    [
        ConvGeometry.ForConv(n: 2, c: 16, h: 14, w: 14, k: 16, r: 3, s: 3, stride: 2, pad: 1), // the conv VAE's layout: one vector (row pairs); the odd phase reads one row past dy
        ConvGeometry.ForConv(n: 2, c: 32, h: 16, w: 18, k: 8, r: 4, s: 5, stride: 2, pad: 2), // vector pairs; phases of 4 and 6 taps reading dy rows before and after; 9-pixel phase rows (tile moved back)
        ConvGeometry.ForConv(n: 43, c: 32, h: 14, w: 14, k: 64, r: 3, s: 3, stride: 2, pad: 1), // the conv VAE's 32 → 64 layer: weight gradient by 6 × 4 direct tiles over 4 chunks (11 images, the last 10)
    ];

    /// <summary>C ≥ 16 and neither direct nor wide weight tiles (K not in vectors, or strides ≠ 1, 2): the weight gradient takes <see cref="ChannelsLastWeightGradient"/>.</summary>
    private static readonly ConvGeometry[] ChannelsLastCases =
    [
        ConvGeometry.ForConv(n: 5, c: 16, h: 9, w: 11, k: 6, r: 3, s: 3, stride: 2, pad: 1), // float32 transposes by 16 × 16 blocks; odd H, W
        new ConvGeometry(N: 3, C: 20, H: 7, W: 9, K: 5, R: 2, S: 3, StrideH: 2, StrideW: 1, PadH: 0, PadW: 1, P: 3, Q: 9), // unequal strides and padding; C not in vectors (scalar transpose)
        ConvGeometry.ForConv(n: 2, c: 17, h: 8, w: 8, k: 3, r: 2, s: 2, stride: 3, pad: 0), // stride > kernel: input pixels no tap reads
    ];

    private static readonly ConvGeometry[] Cases =
    [
        ConvGeometry.ForConv(n: 20, c: 3, h: 9, w: 7, k: 5, r: 3, s: 3, stride: 2, pad: 1),
        ConvGeometry.ForConv(n: 17, c: 2, h: 6, w: 8, k: 4, r: 3, s: 2, stride: 1, pad: 0),
        ConvGeometry.ForConv(n: 11, c: 1, h: 8, w: 8, k: 3, r: 4, s: 4, stride: 2, pad: 2),
        ConvGeometry.ForConv(n: 6, c: 2, h: 5, w: 20, k: 3, r: 3, s: 3, stride: 2, pad: 1), // even W of 20: float32 deinterleaves whole vectors and a tail
        ConvGeometry.ForConv(n: 9, c: 2, h: 7, w: 7, k: 3, r: 1, s: 1, stride: 3, pad: 0), // stride > kernel: pixels no tap reads
        ConvGeometry.ForConv(n: 7, c: 4, h: 9, w: 8, k: 3, r: 5, s: 3, stride: 1, pad: 2), // stride 1, K ≤ C: data gradient as a flipped convolution
        ConvGeometry.ForConv(n: 10, c: 3, h: 6, w: 7, k: 3, r: 3, s: 2, stride: 1, pad: 0), // the same with no padding (padding R−1 in the flipped form)
        ConvGeometry.ForConv(n: 5, c: 3, h: 5, w: 5, k: 2, r: 2, s: 2, stride: 1, pad: 2), // pad > R − 1: no flipped form, im2col route
        ConvGeometry.ForConv(n: 3, c: 4, h: 14, w: 14, k: 2, r: 5, s: 5, stride: 1, pad: 2), // stride 1, Q = W (SAME, the hypernetwork's 5×5): im2col rows as shifted planes, flipped data gradient
        ConvGeometry.ForConv(n: 4, c: 2, h: 6, w: 5, k: 3, r: 3, s: 5, stride: 1, pad: 2), // shifted planes with P ≠ H: whole rows above and below the image
        ConvGeometry.ForConv(n: 3, c: 1, h: 3, w: 2, k: 2, r: 5, s: 5, stride: 1, pad: 2), // shifted planes where a tap's shift |s − pad| reaches W: whole rows wrapped
        LongInnerCase,
        ConvGeometry.ForConv(n: 2, c: 1, h: 8, w: 8, k: 16, r: 5, s: 5, stride: 1, pad: 2), // K in vectors but 25 taps (< DirectConv.MinTaps): im2col
        ConvGeometry.ForConv(n: 30, c: 1, h: 28, w: 28, k: 32, r: 3, s: 3, stride: 2, pad: 1), // the conv VAE's 1 → 32 layer: few-tap weight gradient, 4 images a chunk in groups of 3
        ConvGeometry.ForConv(n: 33, c: 2, h: 30, w: 27, k: 5, r: 3, s: 2, stride: 2, pad: 1), // few-tap: 6 taps, odd K, 210 pixels (a masked last vector), 5 images a chunk in groups of 3
        .. DirectCases,
        .. WideCases,
        .. PhaseCases,
        .. ChannelsLastCases,
    ];

    [Test]
    public void DirectCases_CoverEveryDirectRoute()
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the direct kernels need AVX-512");
        Assert.That(DirectCases.Count(DirectConv.AppliesToForward), Is.EqualTo(11));
        Assert.That(DirectCases.Count(DirectConv.AppliesToWeight), Is.EqualTo(10));
        // 64 output channels or more: the 6 × 4 weight tile, here and on the conv VAE's 32 → 64 layer (PhaseCases)
        Assert.That(Cases.Where(DirectConv.TakesSixByFour).Select(g => (g.K, g.StrideH)), Is.EquivalentTo(new[] { (128, 1), (64, 2) }));
        Assert.That(Cases.Count(g => DirectConv.TakesSixByFour(g) && g.C * g.R * g.S % 6 != 0), Is.EqualTo(1), "a last block moved back");
        // one vector of output channels: the weight gradient takes four input channels a tile where C % 4 = 0, else pairs
        Assert.That(DirectCases.Count(g => DirectConv.AppliesToWeight(g) && g.K % 32 != 0 && g.C % 4 == 0), Is.EqualTo(5));
        Assert.That(DirectCases.Count(g => DirectConv.AppliesToWeight(g) && g.K % 32 != 0 && g.C % 4 == 2), Is.EqualTo(1));
        Assert.That(DirectCases.Count(g => g.StrideH == 2 && DirectConv.AppliesToForward(g) && DirectConv.AppliesToWeight(g)), Is.EqualTo(4));
        Assert.That(DirectCases.Where(FlippedConv.Applies).Select(FlippedConv.Geometry).Count(DirectConv.AppliesToForward), Is.EqualTo(2));
        Assert.That(Cases.Except(DirectCases).Except(PhaseCases).Count(g => DirectConv.AppliesToForward(g) || DirectConv.AppliesToWeight(g)), Is.Zero);
        // vector pairs on rows of other than 5 taps at stride 1 take the two-row tile: odd P leaves a last row alone
        static bool RowPairs(ConvGeometry g) => DirectConv.AppliesToForward(g) && g.K % 32 == 0 && !(g.StrideW == 1 && g.S == 5) && g.P > 1;
        Assert.That(Cases.Count(g => RowPairs(g) && g.P % 2 == 1), Is.GreaterThanOrEqualTo(2));
        Assert.That(Cases.Count(g => RowPairs(g) && g.P % 2 == 0), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void PhaseCases_TakeThePhaseDataGradient()
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the phase kernels need AVX-512");
        Assert.That(PhaseCases.Count(PhaseDataGradient.Applies), Is.EqualTo(PhaseCases.Length));
        Assert.That(Cases.Except(PhaseCases).Count(PhaseDataGradient.Applies), Is.EqualTo(1)); // DirectCases' stride-2 16 → 16 layer
    }

    [Test]
    public void ChannelsLastCases_TakeTheChannelsLastWeightGradient()
    {
        static bool TakesChannelsLast(ConvGeometry g) =>
            ChannelsLastWeightGradient.Applies(g) && !DirectConv.AppliesToWeight(g) && !WideConv.AppliesToWeight(g);
        Assert.That(ChannelsLastCases.All(TakesChannelsLast), Is.True);
        Assert.That(ChannelsLastCases.Any(g => ConvChunking.Chunks(g, ConvChunking.ImagesPerChunk(g)) > 1), Is.True, "several chunks");
        Assert.That(Cases.Count(g => g.C < ChannelsLastWeightGradient.MinChannels && ChannelsLastWeightGradient.Applies(g)), Is.Zero);
    }

    [Test]
    public void Cases_CoverTheFewTapWeightGradient()
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the few-tap kernel needs AVX-512");
        var fewTap = Cases.Where(g => FewTapWeightGradient.Applies(g) && !DirectConv.AppliesToWeight(g) && !WideConv.AppliesToWeight(g)).ToArray();
        int Taps(ConvGeometry g) => g.C * g.R * g.S;
        Assert.That(fewTap.Count(g => g.P * g.Q % 16 != 0), Is.GreaterThanOrEqualTo(3), "an overlapping, masked last vector per image");
        Assert.That(fewTap.Count(g => Taps(g) % FewTapWeightGradient.Taps != 0), Is.GreaterThanOrEqualTo(3), "a tap block with repeated taps");
        Assert.That(fewTap.Count(g => Taps(g) > FewTapWeightGradient.Taps), Is.GreaterThanOrEqualTo(2), "several tap blocks");
        Assert.That(fewTap.Count(g => g.K % FewTapWeightGradient.Channels != 0), Is.GreaterThanOrEqualTo(3), "a channel pair with a repeated channel");
        Assert.That(fewTap.Count(g => ConvChunking.ImagesPerChunk(g) > FewTapWeightBody.GroupFloats / (FewTapWeightGradient.Taps * g.P * g.Q)), Is.GreaterThanOrEqualTo(2), "several image groups per chunk");
        Assert.That(fewTap.Count(g => ConvChunking.Chunks(g, ConvChunking.ImagesPerChunk(g)) > 1), Is.GreaterThanOrEqualTo(3), "several chunks");
    }

    [Test]
    public void Cases_CoverTheFewTapForwardAndDataGradient()
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the few-tap kernels need AVX-512");
        var forward = Cases.Where(g => FewTapConv.AppliesToForward(g) && !DirectConv.AppliesToForward(g) && !WideConv.AppliesToForward(g)).ToArray();
        Assert.That(forward.Count(g => g.P * g.Q % FewTapConv.ForwardPixels != 0), Is.GreaterThanOrEqualTo(3), "a last pixel tile moved back");
        Assert.That(forward.Count(g => g.K % FewTapConv.ForwardChannels != 0), Is.GreaterThanOrEqualTo(3), "a channel tile with a repeated channel");
        var data = Cases.Where(g => FewTapConv.AppliesToData(g) && !PhaseDataGradient.Applies(g) && !FlippedConv.Applies(g)).ToArray();
        int Taps(ConvGeometry g) => g.C * g.R * g.S;
        Assert.That(data.Count(g => g.P * g.Q % FewTapConv.DataPixels != 0), Is.GreaterThanOrEqualTo(3), "a last pixel tile moved back");
        Assert.That(data.Count(g => Taps(g) % FewTapConv.DataTaps != 0), Is.GreaterThanOrEqualTo(2), "a tap tile with repeated taps");
        Assert.That(data.Count(g => Taps(g) > FewTapConv.DataTaps), Is.GreaterThanOrEqualTo(2), "several tap tiles");
        Assert.That(data.Count(g => g.StrideH == 2), Is.GreaterThanOrEqualTo(2), "col2im of a stride-2 layer");
    }

    [Test]
    public void FewTapForward_WithoutBias_MatchesDirectLoop()
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the few-tap kernels need AVX-512");
        var g = ConvGeometry.ForConv(n: 3, c: 1, h: 28, w: 28, k: 6, r: 3, s: 3, stride: 2, pad: 1);
        Assert.That(FewTapConv.AppliesToForward(g), Is.True);
        var (x, w, _, dy) = Operands<float>(g, seed: 6);
        var y = new float[g.OutputLength];
        using var workers = new WorkerPool(2);
        ConvKernels.Forward(g, x, 0, w, 0, null, 0, y, 0, relu: false, workers);
        static double[] Wide(float[] a) => [.. a.Select(v => (double)v)];
        var (yRef, _, _, _) = DirectConvReference.Run(g, Wide(x), Wide(w), new double[g.K], Wide(dy));
        Assert.That(Wide(y), Is.EqualTo(yRef).Within(1e-5));
    }

    /// <summary>
    /// An infinity inside the overlap of an image's last vector (81 pixels: the last vector starts at pixel 65) is summed
    /// once, as +∞, not as ∞ · 0 = NaN: both operands' already-summed lanes are zeroed, not just one.
    /// </summary>
    [Test]
    public void FewTapWeightGradient_InfinityInTheOverlap_StaysInfinite([Values(false, true)] bool inInput)
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the few-tap kernel needs AVX-512");
        var g = ConvGeometry.ForConv(n: 2, c: 1, h: 9, w: 9, k: 2, r: 3, s: 3, stride: 1, pad: 1);
        Assert.That(FewTapWeightGradient.Applies(g) && !DirectConv.AppliesToWeight(g) && !WideConv.AppliesToWeight(g), Is.True);
        var random = new Random(5);
        var x = Enumerable.Range(0, g.InputLength).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        var dy = Enumerable.Range(0, g.OutputLength).Select(_ => (float)(0.5 + random.NextDouble())).ToArray();
        (inInput ? x : dy)[70] = float.PositiveInfinity; // image 0, pixel (7, 7) of channel 0: lane 5 of the overlapping last vector
        var (dw, db) = (new float[g.WeightLength], new float[g.K]);
        using var workers = new WorkerPool(1);
        ConvKernels.BackwardWeight(g, x, 0, dy, 0, dw, 0, db, 0, workers);

        static double[] Wide(float[] a) => [.. a.Select(v => (double)v)];
        var (_, _, dwRef, _) = DirectConvReference.Run(g, Wide(x), new double[g.WeightLength], new double[g.K], Wide(dy));
        Assert.That(dwRef.Count(double.IsPositiveInfinity), Is.GreaterThan(0));
        var magnitude = WeightGradientMagnitude(g, Wide(x), Wide(dy)); // the bound of Float32_MatchesDirectLoop where finite
        for (var j = 0; j < dw.Length; j++)
        {
            Assert.That(dw[j], double.IsPositiveInfinity(dwRef[j]) ? Is.EqualTo(float.PositiveInfinity) : Is.EqualTo(dwRef[j]).Within(8 * Math.Pow(2, -23) * magnitude[j]), $"element {j}");
        }
    }

    [Test]
    public void WideCases_CoverEveryWideRoute()
    {
        Assume.That(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the wide kernels need AVX-512");
        Assert.That(WideCases.Count(WideConv.AppliesToForward), Is.EqualTo(4));
        Assert.That(WideCases.Count(WideConv.AppliesToWeight), Is.EqualTo(5));
        Assert.That(Cases.Except(WideCases).Count(g => WideConv.AppliesToForward(g) || WideConv.AppliesToWeight(g)), Is.Zero);
    }

    [Test]
    public void Cases_HaveSeveralImagesPerChunk_AndAShortLastChunk()
    {
        var g = Cases[0];
        var images = ConvChunking.ImagesPerChunk(g);
        Assert.That(images, Is.GreaterThan(1));
        Assert.That(g.N % images, Is.Not.Zero);
        var longInner = LongInnerCase;
        Assert.That(longInner.P * longInner.Q, Is.GreaterThanOrEqualTo(BackwardWeightBody<float>.LongInner));
        Assert.That(ConvChunking.ImagesPerChunk(longInner), Is.GreaterThan(1));
    }

    [Test]
    public void Cases_CoverBothDataGradientRoutes()
    {
        Assert.That(Cases.Count(FlippedConv.Applies), Is.EqualTo(5));
        Assert.That(Cases.Count(g => g.StrideH == 1 && !FlippedConv.Applies(g)), Is.EqualTo(17));
    }

    [Test]
    public void Float64_MatchesDirectLoop([Values(1, 2)] int threads, [Values(false, true)] bool relu)
    {
        using var workers = new WorkerPool(threads);
        foreach (var g in Cases)
        {
            var (x, w, bias, dy) = Operands<double>(g, seed: 1);
            var dataBias = DataBias<double>(g, seed: 11);
            var y = new double[g.OutputLength];
            var dx = Filled(g.InputLength, double.NaN); // every element must be written
            var dw = Filled(g.WeightLength, double.NaN);
            var db = Filled(g.K, double.NaN);
            ConvKernels.Forward(g, x, 0, w, 0, bias, 0, y, 0, relu, workers);
            ConvKernels.BackwardData(g, dy, 0, w, 0, dataBias, 0, dx, 0, relu, workers);
            ConvKernels.BackwardWeight(g, x, 0, dy, 0, dw, 0, db, 0, workers);

            var (yRef, dxRef, dwRef, dbRef) = DirectConvReference.Run(g, x, w, bias, dy);
            Assert.That(y, Is.EqualTo(Rectified(yRef, relu)).Within(1e-12), $"forward {g}, relu {relu}");
            Assert.That(dx, Is.EqualTo(Rectified(WithChannelBias(g, dxRef, dataBias), relu)).Within(1e-12), $"data gradient with a transposed convolution's bias {g}, relu {relu}");
            Assert.That(dw, Is.EqualTo(dwRef).Within(1e-12), $"weight gradient {g}");
            Assert.That(db, Is.EqualTo(dbRef).Within(1e-12), $"bias gradient {g}");
        }
    }

    /// <summary>float32 has paths of its own (the even/odd deinterleave of a stride-2 plane), so it is checked against the direct loop too.</summary>
    [Test]
    public void Float32_MatchesDirectLoop([Values(false, true)] bool relu)
    {
        using var workers = new WorkerPool(2);
        foreach (var g in Cases)
        {
            var (x, w, bias, dy) = Operands<float>(g, seed: 4);
            var dataBias = DataBias<float>(g, seed: 14);
            var (y, dx, dw, db) = (new float[g.OutputLength], new float[g.InputLength], new float[g.WeightLength], new float[g.K]);
            ConvKernels.Forward(g, x, 0, w, 0, bias, 0, y, 0, relu, workers);
            ConvKernels.BackwardData(g, dy, 0, w, 0, dataBias, 0, dx, 0, relu, workers);
            ConvKernels.BackwardWeight(g, x, 0, dy, 0, dw, 0, db, 0, workers);

            static double[] Wide(float[] a) => [.. a.Select(v => (double)v)];
            var (yRef, dxRef, dwRef, dbRef) = DirectConvReference.Run(g, Wide(x), Wide(w), Wide(bias), Wide(dy));
            Assert.That(Wide(y), Is.EqualTo(Rectified(yRef, relu)).Within(1e-4), $"forward {g}, relu {relu}");
            Assert.That(Wide(dx), Is.EqualTo(Rectified(WithChannelBias(g, dxRef, Wide(dataBias)), relu)).Within(1e-4), $"data gradient with a transposed convolution's bias {g}, relu {relu}");
            // A weight gradient sums N·P·Q products (4,200 in the largest case): float32's rounding grows with the sum of
            // their magnitudes, so the bound is 1e-4 or 8 float32 ulps of Σ|x·dy|, whichever is larger.
            var magnitude = WeightGradientMagnitude(g, Wide(x), Wide(dy));
            for (var j = 0; j < dw.Length; j++)
            {
                var bound = Math.Max(1e-4, 8 * Math.Pow(2, -23) * magnitude[j]);
                Assert.That(dw[j], Is.EqualTo(dwRef[j]).Within(bound), $"weight gradient {g}, element {j}");
            }

            // the bias gradient sums N·P·Q values of dy per channel: the same kind of bound, on Σ|dy|
            for (var k = 0; k < g.K; k++)
            {
                var pq = g.P * g.Q;
                var absolute = Enumerable.Range(0, g.N).Sum(n => dy.AsSpan((n * g.K + k) * pq, pq).ToArray().Sum(v => Math.Abs((double)v)));
                Assert.That(db[k], Is.EqualTo(dbRef[k]).Within(Math.Max(1e-4, 8 * Math.Pow(2, -23) * absolute)), $"bias gradient {g}, channel {k}");
            }
        }
    }

    [Test]
    public void Float32_IdenticalOnOneAndTwoThreads()
    {
        using var one = new WorkerPool(1);
        using var two = new WorkerPool(2);
        foreach (var g in Cases)
        {
            var (x, w, bias, dy) = Operands<float>(g, seed: 2);
            var results = new[] { one, two }.Select(workers =>
            {
                var (y, dx, dw, db) = (new float[g.OutputLength], new float[g.InputLength], new float[g.WeightLength], new float[g.K]);
                ConvKernels.Forward(g, x, 0, w, 0, bias, 0, y, 0, relu: false, workers);
                ConvKernels.BackwardData(g, dy, 0, w, 0, null, 0, dx, 0, relu: false, workers);
                ConvKernels.BackwardWeight(g, x, 0, dy, 0, dw, 0, db, 0, workers);
                return (y, dx, dw, db);
            }).ToArray();
            Assert.That(results[1].y, Is.EqualTo(results[0].y), $"forward {g}");
            Assert.That(results[1].dx, Is.EqualTo(results[0].dx), $"data gradient {g}");
            Assert.That(results[1].dw, Is.EqualTo(results[0].dw), $"weight gradient {g}");
            Assert.That(results[1].db, Is.EqualTo(results[0].db), $"bias gradient {g}");
        }
    }

    [Test]
    public void WarmCalls_AllocateNothing([Values(1, 2)] int threads)
    {
        using var workers = new WorkerPool(threads);
        var g = Cases[0];
        var (x, w, bias, dy) = Operands<float>(g, seed: 3);
        var (y, dx, dw, db) = (new float[g.OutputLength], new float[g.InputLength], new float[g.WeightLength], new float[g.K]);
        void All()
        {
            ConvKernels.Forward(g, x, 0, w, 0, bias, 0, y, 0, relu: false, workers);
            ConvKernels.BackwardData(g, dy, 0, w, 0, null, 0, dx, 0, relu: false, workers);
            ConvKernels.BackwardWeight(g, x, 0, dy, 0, dw, 0, db, 0, workers);
        }

        All();
        var before = GC.GetAllocatedBytesForCurrentThread();
        All();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    private static (T[] X, T[] W, T[] Bias, T[] Dy) Operands<T>(ConvGeometry g, int seed) where T : struct
    {
        var random = new Random(seed);
        T[] Draw(int length) => [.. Enumerable.Range(0, length).Select(_ => (T)Convert.ChangeType(random.NextDouble() * 2 - 1, typeof(T)))];
        return (Draw(g.InputLength), Draw(g.WeightLength), Draw(g.K), Draw(g.OutputLength));
    }

    /// <summary>A bias on the input's C channels: a transposed convolution's, added by the data gradient.</summary>
    private static T[] DataBias<T>(ConvGeometry g, int seed) where T : struct
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, g.C).Select(_ => (T)Convert.ChangeType(random.NextDouble() * 2 - 1, typeof(T)))];
    }

    private static double[] WithChannelBias(ConvGeometry g, double[] dx, double[] bias) =>
        [.. dx.Select((v, i) => v + bias[i / (g.H * g.W) % g.C])];

    /// <summary>max(v, 0) per element when <paramref name="relu"/>: the reference for the kernels' fused ReLU.</summary>
    private static double[] Rectified(double[] values, bool relu) => relu ? [.. values.Select(v => Math.Max(v, 0))] : values;

    private static double[] Filled(int length, double value) => Enumerable.Repeat(value, length).ToArray();

    /// <summary>Σ|x·dy| over the products that make up each weight-gradient element.</summary>
    private static double[] WeightGradientMagnitude(ConvGeometry g, double[] x, double[] dy)
    {
        var (_, _, magnitude, _) = DirectConvReference.Run(g, [.. x.Select(Math.Abs)], new double[g.WeightLength], new double[g.K], [.. dy.Select(Math.Abs)]);
        return magnitude;
    }
}
