using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The register tiles of <see cref="DirectConv"/> (float32, AVX-512): 14 zmm accumulators, each a vector of 16
/// channels, filled by FMAs of one broadcast input value with one vector of weights (or of dy). A tile has two
/// "lanes" whose input, weight and output offsets differ by a stride the caller picks, so the same code serves
/// two channel vectors of one output row (lane input stride 0) or one channel vector of two output rows
/// (weight stride 0): the choice keeps 14 accumulators busy whatever the channel count.
/// </summary>
internal static class DirectConvTiles
{
    /// <summary>Output pixels per forward tile.</summary>
    public const int Pixels = 7;

    /// <summary>Taps per weight-gradient tile.</summary>
    public const int Taps = 5;

    /// <summary>(Input channel, tap) pairs per <see cref="WeightSixByFour"/> tile.</summary>
    public const int WeightPairs = 6;

    /// <summary>
    /// Forward: out[i, lane] = Σ_c Σ_t input[c·plane + taps[t] + i·stride + lane·inLane] · weights[(c·|taps| + t)·wStep + lane·wLane]
    /// for the 7 pixels i, stored (not added) at output[i·outPixel + lane·outLane]. The column stride is a type argument, so
    /// each stride compiles to constant offsets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TStride, TLanes>(
        ref float input, nint inLane, nint plane, ref float weights, nint wLane, nint wStep, int channels,
        ReadOnlySpan<int> taps, ref float output, nint outPixel, nint outLane)
        where TStride : struct, IColumnStride
        where TLanes : struct, ITileLanes
    {
        var stride = (nint)TStride.Value;
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<float> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        Vector512<float> a60 = default, a61 = default;
        ref var w = ref weights;
        for (var c = 0; c < channels; c++)
        {
            ref var channel = ref Unsafe.Add(ref input, c * plane);
            foreach (var tap in taps)
            {
                ref var s0 = ref Unsafe.Add(ref channel, tap);
                ref var s1 = ref Unsafe.Add(ref s0, inLane);
                var w0 = Vector512.LoadUnsafe(ref w);
                var w1 = TLanes.SharedVector ? w0 : Vector512.LoadUnsafe(ref Unsafe.Add(ref w, wLane));
                var b0 = Vector512.Create(s0);
                a00 = Vector512.FusedMultiplyAdd(b0, w0, a00);
                a01 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b0 : Vector512.Create(s1), w1, a01);
                var b1 = Vector512.Create(Unsafe.Add(ref s0, 1 * stride));
                a10 = Vector512.FusedMultiplyAdd(b1, w0, a10);
                a11 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b1 : Vector512.Create(Unsafe.Add(ref s1, 1 * stride)), w1, a11);
                var b2 = Vector512.Create(Unsafe.Add(ref s0, 2 * stride));
                a20 = Vector512.FusedMultiplyAdd(b2, w0, a20);
                a21 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b2 : Vector512.Create(Unsafe.Add(ref s1, 2 * stride)), w1, a21);
                var b3 = Vector512.Create(Unsafe.Add(ref s0, 3 * stride));
                a30 = Vector512.FusedMultiplyAdd(b3, w0, a30);
                a31 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b3 : Vector512.Create(Unsafe.Add(ref s1, 3 * stride)), w1, a31);
                var b4 = Vector512.Create(Unsafe.Add(ref s0, 4 * stride));
                a40 = Vector512.FusedMultiplyAdd(b4, w0, a40);
                a41 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b4 : Vector512.Create(Unsafe.Add(ref s1, 4 * stride)), w1, a41);
                var b5 = Vector512.Create(Unsafe.Add(ref s0, 5 * stride));
                a50 = Vector512.FusedMultiplyAdd(b5, w0, a50);
                a51 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b5 : Vector512.Create(Unsafe.Add(ref s1, 5 * stride)), w1, a51);
                var b6 = Vector512.Create(Unsafe.Add(ref s0, 6 * stride));
                a60 = Vector512.FusedMultiplyAdd(b6, w0, a60);
                a61 = Vector512.FusedMultiplyAdd(TLanes.SharedBroadcast ? b6 : Vector512.Create(Unsafe.Add(ref s1, 6 * stride)), w1, a61);
                w = ref Unsafe.Add(ref w, wStep);
            }
        }

        StorePair(ref output, outLane, a00, a01);
        StorePair(ref Unsafe.Add(ref output, outPixel), outLane, a10, a11);
        StorePair(ref Unsafe.Add(ref output, 2 * outPixel), outLane, a20, a21);
        StorePair(ref Unsafe.Add(ref output, 3 * outPixel), outLane, a30, a31);
        StorePair(ref Unsafe.Add(ref output, 4 * outPixel), outLane, a40, a41);
        StorePair(ref Unsafe.Add(ref output, 5 * outPixel), outLane, a50, a51);
        StorePair(ref Unsafe.Add(ref output, 6 * outPixel), outLane, a60, a61);
    }

    /// <summary>
    /// Weight gradient of 5 consecutive taps t (input offsets o0…o4) and two lanes:
    /// g[t, lane] = Σ_{n,y,x} input[n·image + y·rowStride + x·colStride + o_t + lane·inLane] · dy[((n·rows + y)·cols + x)·dyPixel + lane·dyLane],
    /// stored at output[t·outTap + lane·outLane]. dy is channels-last ([pixel, K]), so one load serves 5 FMAs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Weight(
        ref float input, nint inLane, nint image, nint rowStride, nint colStride, int images, int rows, int cols,
        ReadOnlySpan<int> taps, ref float dy, nint dyLane, nint dyPixel, ref float output, nint outTap, nint outLane)
    {
        nint o0 = taps[0], o1 = taps[1], o2 = taps[2], o3 = taps[3], o4 = taps[4];
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<float> a30 = default, a31 = default, a40 = default, a41 = default;
        ref var d = ref dy;
        for (var n = 0; n < images; n++)
        {
            for (var y = 0; y < rows; y++)
            {
                ref var s0 = ref Unsafe.Add(ref input, n * image + y * rowStride);
                for (var x = 0; x < cols; x++)
                {
                    ref var s1 = ref Unsafe.Add(ref s0, inLane);
                    var d0 = Vector512.LoadUnsafe(ref d);
                    var d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, dyLane));
                    a00 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o0)), d0, a00);
                    a01 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o0)), d1, a01);
                    a10 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o1)), d0, a10);
                    a11 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o1)), d1, a11);
                    a20 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o2)), d0, a20);
                    a21 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o2)), d1, a21);
                    a30 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o3)), d0, a30);
                    a31 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o3)), d1, a31);
                    a40 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o4)), d0, a40);
                    a41 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o4)), d1, a41);
                    s0 = ref Unsafe.Add(ref s0, colStride);
                    d = ref Unsafe.Add(ref d, dyPixel);
                }
            }
        }

        StorePair(ref output, outLane, a00, a01);
        StorePair(ref Unsafe.Add(ref output, outTap), outLane, a10, a11);
        StorePair(ref Unsafe.Add(ref output, 2 * outTap), outLane, a20, a21);
        StorePair(ref Unsafe.Add(ref output, 3 * outTap), outLane, a30, a31);
        StorePair(ref Unsafe.Add(ref output, 4 * outTap), outLane, a40, a41);
    }

    /// <summary>
    /// Weight gradient of 5 consecutive taps for 4 input channels (inputs <paramref name="inLane"/> apart) against one dy
    /// vector: g[t, lane] = Σ input[n·image + y·rowStride + x·colStride + o_t + lane·inLane] · dy[((n·rows + y)·cols + x)·dyPixel],
    /// stored at output[t·outTap + lane·outLane]. One dy load serves 20 FMAs (the two-lane tile loads it twice for 10), and
    /// each task then streams dy half as often.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightFourChannels(
        ref float input, nint inLane, nint image, nint rowStride, nint colStride, int images, int rows, int cols,
        ReadOnlySpan<int> taps, ref float dy, nint dyPixel, ref float output, nint outTap, nint outLane)
    {
        nint o0 = taps[0], o1 = taps[1], o2 = taps[2], o3 = taps[3], o4 = taps[4];
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a43 = default;
        ref var d = ref dy;
        for (var n = 0; n < images; n++)
        {
            for (var y = 0; y < rows; y++)
            {
                ref var s0 = ref Unsafe.Add(ref input, n * image + y * rowStride);
                for (var x = 0; x < cols; x++)
                {
                    ref var s1 = ref Unsafe.Add(ref s0, inLane);
                    ref var s2 = ref Unsafe.Add(ref s1, inLane);
                    ref var s3 = ref Unsafe.Add(ref s2, inLane);
                    var g = Vector512.LoadUnsafe(ref d);
                    a00 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o0)), g, a00);
                    a01 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o0)), g, a01);
                    a02 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s2, o0)), g, a02);
                    a03 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s3, o0)), g, a03);
                    a10 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o1)), g, a10);
                    a11 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o1)), g, a11);
                    a12 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s2, o1)), g, a12);
                    a13 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s3, o1)), g, a13);
                    a20 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o2)), g, a20);
                    a21 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o2)), g, a21);
                    a22 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s2, o2)), g, a22);
                    a23 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s3, o2)), g, a23);
                    a30 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o3)), g, a30);
                    a31 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o3)), g, a31);
                    a32 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s2, o3)), g, a32);
                    a33 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s3, o3)), g, a33);
                    a40 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s0, o4)), g, a40);
                    a41 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s1, o4)), g, a41);
                    a42 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s2, o4)), g, a42);
                    a43 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref s3, o4)), g, a43);
                    s0 = ref Unsafe.Add(ref s0, colStride);
                    d = ref Unsafe.Add(ref d, dyPixel);
                }
            }
        }

        StoreTap(ref output, outLane, a00, a01, a02, a03);
        StoreTap(ref Unsafe.Add(ref output, outTap), outLane, a10, a11, a12, a13);
        StoreTap(ref Unsafe.Add(ref output, 2 * outTap), outLane, a20, a21, a22, a23);
        StoreTap(ref Unsafe.Add(ref output, 3 * outTap), outLane, a30, a31, a32, a33);
        StoreTap(ref Unsafe.Add(ref output, 4 * outTap), outLane, a40, a41, a42, a43);
    }

    /// <summary>
    /// Weight gradient of 6 (input channel, tap) pairs, at offsets <paramref name="offsets"/> from a pixel's input, against
    /// 4 dy vectors (64 output channels): g[t, v] = Σ input[n·image + y·rowStride + x·colStride + offsets[t]] ·
    /// dy[((n·rows + y)·cols + x)·dyPixel + 16·v], stored at output[t·outTap + 16·v]. Per pixel 4 dy loads and 6 broadcasts
    /// feed 24 FMAs. Why: the 5-tap tiles above load a broadcast for every one or two FMAs, so with 64 output channels they
    /// were bound by loads and ran slower than im2col and a GEMM (the conv VAE's 32 ↔ 64 layers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightSixByFour(
        ref float input, nint image, nint rowStride, nint colStride, int images, int rows, int cols,
        ReadOnlySpan<int> offsets, ref float dy, nint dyPixel, ref float output, nint outTap)
    {
        const int w = 16;
        nint o0 = offsets[0], o1 = offsets[1], o2 = offsets[2], o3 = offsets[3], o4 = offsets[4], o5 = offsets[5];
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a43 = default, a50 = default, a51 = default, a52 = default, a53 = default;
        ref var d = ref dy;
        for (var n = 0; n < images; n++)
        {
            for (var y = 0; y < rows; y++)
            {
                ref var s = ref Unsafe.Add(ref input, n * image + y * rowStride);
                for (var x = 0; x < cols; x++)
                {
                    var d0 = Vector512.LoadUnsafe(ref d);
                    var d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, w));
                    var d2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, 2 * w));
                    var d3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, 3 * w));
                    var b = Vector512.Create(Unsafe.Add(ref s, o0));
                    (a00, a01, a02, a03) = (Vector512.FusedMultiplyAdd(b, d0, a00), Vector512.FusedMultiplyAdd(b, d1, a01), Vector512.FusedMultiplyAdd(b, d2, a02), Vector512.FusedMultiplyAdd(b, d3, a03));
                    b = Vector512.Create(Unsafe.Add(ref s, o1));
                    (a10, a11, a12, a13) = (Vector512.FusedMultiplyAdd(b, d0, a10), Vector512.FusedMultiplyAdd(b, d1, a11), Vector512.FusedMultiplyAdd(b, d2, a12), Vector512.FusedMultiplyAdd(b, d3, a13));
                    b = Vector512.Create(Unsafe.Add(ref s, o2));
                    (a20, a21, a22, a23) = (Vector512.FusedMultiplyAdd(b, d0, a20), Vector512.FusedMultiplyAdd(b, d1, a21), Vector512.FusedMultiplyAdd(b, d2, a22), Vector512.FusedMultiplyAdd(b, d3, a23));
                    b = Vector512.Create(Unsafe.Add(ref s, o3));
                    (a30, a31, a32, a33) = (Vector512.FusedMultiplyAdd(b, d0, a30), Vector512.FusedMultiplyAdd(b, d1, a31), Vector512.FusedMultiplyAdd(b, d2, a32), Vector512.FusedMultiplyAdd(b, d3, a33));
                    b = Vector512.Create(Unsafe.Add(ref s, o4));
                    (a40, a41, a42, a43) = (Vector512.FusedMultiplyAdd(b, d0, a40), Vector512.FusedMultiplyAdd(b, d1, a41), Vector512.FusedMultiplyAdd(b, d2, a42), Vector512.FusedMultiplyAdd(b, d3, a43));
                    b = Vector512.Create(Unsafe.Add(ref s, o5));
                    (a50, a51, a52, a53) = (Vector512.FusedMultiplyAdd(b, d0, a50), Vector512.FusedMultiplyAdd(b, d1, a51), Vector512.FusedMultiplyAdd(b, d2, a52), Vector512.FusedMultiplyAdd(b, d3, a53));
                    s = ref Unsafe.Add(ref s, colStride);
                    d = ref Unsafe.Add(ref d, dyPixel);
                }
            }
        }

        StoreTap(ref output, w, a00, a01, a02, a03);
        StoreTap(ref Unsafe.Add(ref output, outTap), w, a10, a11, a12, a13);
        StoreTap(ref Unsafe.Add(ref output, 2 * outTap), w, a20, a21, a22, a23);
        StoreTap(ref Unsafe.Add(ref output, 3 * outTap), w, a30, a31, a32, a33);
        StoreTap(ref Unsafe.Add(ref output, 4 * outTap), w, a40, a41, a42, a43);
        StoreTap(ref Unsafe.Add(ref output, 5 * outTap), w, a50, a51, a52, a53);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StorePair(ref float output, nint lane, Vector512<float> first, Vector512<float> second)
    {
        first.StoreUnsafe(ref output);
        second.StoreUnsafe(ref Unsafe.Add(ref output, lane));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTap(ref float output, nint lane, Vector512<float> l0, Vector512<float> l1, Vector512<float> l2, Vector512<float> l3)
    {
        StorePair(ref output, lane, l0, l1);
        StorePair(ref Unsafe.Add(ref output, 2 * lane), lane, l2, l3);
    }
}

/// <summary>A convolution's column stride as a type, so <see cref="DirectConvTiles.Forward{TStride}"/> compiles with constant offsets.</summary>
/// <summary>
/// What a forward tile's two lanes share, as compile-time constants: two channel vectors read the same input values (lane
/// input stride 0), one channel vector for two output rows the same weights (lane weight stride 0). Why: a load per lane
/// where one serves both costs load-port slots, and the per-tap tile was bound by its loads (16 per 14 FMAs, now 9).
/// The weight-gradient tiles were tried the same way (one dy load or one broadcast for both lanes) and measured no faster
/// on the hypernetwork's 32→16 layer (0.55 ms either way, one thread), so they keep their runtime lane strides.
/// </summary>
internal interface ITileLanes
{
    static abstract bool SharedBroadcast { get; }

    static abstract bool SharedVector { get; }
}

/// <summary>Both lanes broadcast the same input values (lane input stride 0).</summary>
internal readonly struct SharedBroadcastLanes : ITileLanes
{
    public static bool SharedBroadcast => true;

    public static bool SharedVector => false;
}

/// <summary>Both lanes multiply by the same weight vectors (lane weight stride 0).</summary>
internal readonly struct SharedVectorLanes : ITileLanes
{
    public static bool SharedBroadcast => false;

    public static bool SharedVector => true;
}

internal interface IColumnStride
{
    static abstract int Value { get; }
}

internal readonly struct StrideOne : IColumnStride
{
    public static int Value => 1;
}

internal readonly struct StrideTwo : IColumnStride
{
    public static int Value => 2;
}
