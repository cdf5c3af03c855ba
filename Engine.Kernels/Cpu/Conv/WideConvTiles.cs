using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The register tiles of <see cref="WideConv"/> (float32, AVX-512): vectors run along an output row (16 pixels),
/// so the output is written in NCHW as it is computed, with no transposition.
/// </summary>
internal static class WideConvTiles
{
    /// <summary>Output channels per forward tile.</summary>
    public const int Channels = 8;

    /// <summary>Output channels per weight-gradient tile.</summary>
    public const int GradientChannels = 4;

    /// <summary>Taps per weight-gradient tile.</summary>
    public const int Taps = 5;

    /// <summary>
    /// Forward of 8 output channels × two 16-pixel blocks (the second's input <paramref name="second"/> floats after the
    /// first's: the next block of the row, or 0 when the row has one block, or the next row):
    /// out[j, b] = bias[j] + Σ_c Σ_t input[c·plane + taps[t] + b·second + 0…15] · weights[(c·|taps| + t)·wStep + j],
    /// handed to <paramref name="store"/> (stored as they are, or pooled).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TStore>(
        ref float input, nint second, nint plane, int channels, ReadOnlySpan<int> taps, ref float weights, nint wStep,
        ReadOnlySpan<float> bias, TStore store)
        where TStore : struct, IWideTileStore
    {
        var b0 = bias.IsEmpty ? default : Vector512.Create(bias[0]);
        var b1 = bias.IsEmpty ? default : Vector512.Create(bias[1]);
        var b2 = bias.IsEmpty ? default : Vector512.Create(bias[2]);
        var b3 = bias.IsEmpty ? default : Vector512.Create(bias[3]);
        var b4 = bias.IsEmpty ? default : Vector512.Create(bias[4]);
        var b5 = bias.IsEmpty ? default : Vector512.Create(bias[5]);
        var b6 = bias.IsEmpty ? default : Vector512.Create(bias[6]);
        var b7 = bias.IsEmpty ? default : Vector512.Create(bias[7]);
        Vector512<float> a00 = b0, a01 = b0, a10 = b1, a11 = b1, a20 = b2, a21 = b2, a30 = b3, a31 = b3;
        Vector512<float> a40 = b4, a41 = b4, a50 = b5, a51 = b5, a60 = b6, a61 = b6, a70 = b7, a71 = b7;
        ref var w = ref weights;
        for (var c = 0; c < channels; c++)
        {
            ref var channel = ref Unsafe.Add(ref input, c * plane);
            foreach (var tap in taps)
            {
                ref var src = ref Unsafe.Add(ref channel, tap);
                var x0 = Vector512.LoadUnsafe(ref src);
                var x1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref src, second));
                var w0 = Vector512.Create(w);
                a00 = Vector512.FusedMultiplyAdd(x0, w0, a00);
                a01 = Vector512.FusedMultiplyAdd(x1, w0, a01);
                var w1 = Vector512.Create(Unsafe.Add(ref w, 1));
                a10 = Vector512.FusedMultiplyAdd(x0, w1, a10);
                a11 = Vector512.FusedMultiplyAdd(x1, w1, a11);
                var w2 = Vector512.Create(Unsafe.Add(ref w, 2));
                a20 = Vector512.FusedMultiplyAdd(x0, w2, a20);
                a21 = Vector512.FusedMultiplyAdd(x1, w2, a21);
                var w3 = Vector512.Create(Unsafe.Add(ref w, 3));
                a30 = Vector512.FusedMultiplyAdd(x0, w3, a30);
                a31 = Vector512.FusedMultiplyAdd(x1, w3, a31);
                var w4 = Vector512.Create(Unsafe.Add(ref w, 4));
                a40 = Vector512.FusedMultiplyAdd(x0, w4, a40);
                a41 = Vector512.FusedMultiplyAdd(x1, w4, a41);
                var w5 = Vector512.Create(Unsafe.Add(ref w, 5));
                a50 = Vector512.FusedMultiplyAdd(x0, w5, a50);
                a51 = Vector512.FusedMultiplyAdd(x1, w5, a51);
                var w6 = Vector512.Create(Unsafe.Add(ref w, 6));
                a60 = Vector512.FusedMultiplyAdd(x0, w6, a60);
                a61 = Vector512.FusedMultiplyAdd(x1, w6, a61);
                var w7 = Vector512.Create(Unsafe.Add(ref w, 7));
                a70 = Vector512.FusedMultiplyAdd(x0, w7, a70);
                a71 = Vector512.FusedMultiplyAdd(x1, w7, a71);
                w = ref Unsafe.Add(ref w, wStep);
            }
        }

        store.Store(a00, a01, a10, a11, a20, a21, a30, a31, a40, a41, a50, a51, a60, a61, a70, a71);
    }

    /// <summary>
    /// Weight gradient of 4 output channels × 5 taps (input offsets taps[0…4]) for one input channel, summed over every
    /// image, row and 16-pixel block: g[j, t] = Σ dy[n, j, y, x] · input[n, y, x + taps[t]], the lanes of each block
    /// masked so pixels shared with the previous block count once. Stored as g[j·outChannel + t].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Weight(
        ref float input, nint image, nint rowStride, ref float dy, nint dyImage, nint dyChannel, int images, int rows, int cols,
        ReadOnlySpan<int> taps, Span<float> output, int outChannel)
    {
        nint o0 = taps[0], o1 = taps[1], o2 = taps[2], o3 = taps[3], o4 = taps[4];
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
        var lanes = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var blocks = WideConv.Blocks(cols);
        for (var n = 0; n < images; n++)
        {
            for (var y = 0; y < rows; y++)
            {
                ref var row = ref Unsafe.Add(ref input, n * image + y * rowStride);
                ref var d = ref Unsafe.Add(ref dy, n * dyImage + y * cols);
                for (var i = 0; i < blocks; i++)
                {
                    var x = DirectConv.TileStart(i, Vector512<float>.Count, cols);
                    var fresh = Vector512.GreaterThanOrEqual(lanes, Vector512.Create(i * Vector512<float>.Count - x)).AsSingle();
                    ref var s = ref Unsafe.Add(ref row, x);
                    ref var dx = ref Unsafe.Add(ref d, x);
                    var d0 = Vector512.BitwiseAnd(Vector512.LoadUnsafe(ref dx), fresh);
                    var d1 = Vector512.BitwiseAnd(Vector512.LoadUnsafe(ref Unsafe.Add(ref dx, dyChannel)), fresh);
                    var d2 = Vector512.BitwiseAnd(Vector512.LoadUnsafe(ref Unsafe.Add(ref dx, 2 * dyChannel)), fresh);
                    var d3 = Vector512.BitwiseAnd(Vector512.LoadUnsafe(ref Unsafe.Add(ref dx, 3 * dyChannel)), fresh);
                    var x0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref s, o0));
                    a00 = Vector512.FusedMultiplyAdd(d0, x0, a00);
                    a10 = Vector512.FusedMultiplyAdd(d1, x0, a10);
                    a20 = Vector512.FusedMultiplyAdd(d2, x0, a20);
                    a30 = Vector512.FusedMultiplyAdd(d3, x0, a30);
                    var x1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref s, o1));
                    a01 = Vector512.FusedMultiplyAdd(d0, x1, a01);
                    a11 = Vector512.FusedMultiplyAdd(d1, x1, a11);
                    a21 = Vector512.FusedMultiplyAdd(d2, x1, a21);
                    a31 = Vector512.FusedMultiplyAdd(d3, x1, a31);
                    var x2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref s, o2));
                    a02 = Vector512.FusedMultiplyAdd(d0, x2, a02);
                    a12 = Vector512.FusedMultiplyAdd(d1, x2, a12);
                    a22 = Vector512.FusedMultiplyAdd(d2, x2, a22);
                    a32 = Vector512.FusedMultiplyAdd(d3, x2, a32);
                    var x3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref s, o3));
                    a03 = Vector512.FusedMultiplyAdd(d0, x3, a03);
                    a13 = Vector512.FusedMultiplyAdd(d1, x3, a13);
                    a23 = Vector512.FusedMultiplyAdd(d2, x3, a23);
                    a33 = Vector512.FusedMultiplyAdd(d3, x3, a33);
                    var x4 = Vector512.LoadUnsafe(ref Unsafe.Add(ref s, o4));
                    a04 = Vector512.FusedMultiplyAdd(d0, x4, a04);
                    a14 = Vector512.FusedMultiplyAdd(d1, x4, a14);
                    a24 = Vector512.FusedMultiplyAdd(d2, x4, a24);
                    a34 = Vector512.FusedMultiplyAdd(d3, x4, a34);
                }
            }
        }

        output[0] = Vector512.Sum(a00);
        output[1] = Vector512.Sum(a01);
        output[2] = Vector512.Sum(a02);
        output[3] = Vector512.Sum(a03);
        output[4] = Vector512.Sum(a04);
        output[outChannel] = Vector512.Sum(a10);
        output[outChannel + 1] = Vector512.Sum(a11);
        output[outChannel + 2] = Vector512.Sum(a12);
        output[outChannel + 3] = Vector512.Sum(a13);
        output[outChannel + 4] = Vector512.Sum(a14);
        output[2 * outChannel] = Vector512.Sum(a20);
        output[2 * outChannel + 1] = Vector512.Sum(a21);
        output[2 * outChannel + 2] = Vector512.Sum(a22);
        output[2 * outChannel + 3] = Vector512.Sum(a23);
        output[2 * outChannel + 4] = Vector512.Sum(a24);
        output[3 * outChannel] = Vector512.Sum(a30);
        output[3 * outChannel + 1] = Vector512.Sum(a31);
        output[3 * outChannel + 2] = Vector512.Sum(a32);
        output[3 * outChannel + 3] = Vector512.Sum(a33);
        output[3 * outChannel + 4] = Vector512.Sum(a34);
    }
}

/// <summary>Where <see cref="WideConvTiles.Forward{TStore}"/> puts its sums: aj0 and aj1 are channel j's first and second block.</summary>
internal interface IWideTileStore
{
    void Store(
        Vector512<float> a00, Vector512<float> a01, Vector512<float> a10, Vector512<float> a11, Vector512<float> a20, Vector512<float> a21,
        Vector512<float> a30, Vector512<float> a31, Vector512<float> a40, Vector512<float> a41, Vector512<float> a50, Vector512<float> a51,
        Vector512<float> a60, Vector512<float> a61, Vector512<float> a70, Vector512<float> a71);
}

/// <summary>The blocks as they are, into NCHW: channel j's first block at y[at + j·outChannel], its second <paramref name="second"/> later.</summary>
internal readonly struct NchwTileStore(float[] y, int at, nint outChannel, nint second) : IWideTileStore
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(
        Vector512<float> a00, Vector512<float> a01, Vector512<float> a10, Vector512<float> a11, Vector512<float> a20, Vector512<float> a21,
        Vector512<float> a30, Vector512<float> a31, Vector512<float> a40, Vector512<float> a41, Vector512<float> a50, Vector512<float> a51,
        Vector512<float> a60, Vector512<float> a61, Vector512<float> a70, Vector512<float> a71)
    {
        ref var output = ref y[at];
        // The second block is stored first: where it overlaps the first, both hold the same values.
        a01.StoreUnsafe(ref Unsafe.Add(ref output, second));
        a00.StoreUnsafe(ref output);
        a11.StoreUnsafe(ref Unsafe.Add(ref output, outChannel + second));
        a10.StoreUnsafe(ref Unsafe.Add(ref output, outChannel));
        a21.StoreUnsafe(ref Unsafe.Add(ref output, 2 * outChannel + second));
        a20.StoreUnsafe(ref Unsafe.Add(ref output, 2 * outChannel));
        a31.StoreUnsafe(ref Unsafe.Add(ref output, 3 * outChannel + second));
        a30.StoreUnsafe(ref Unsafe.Add(ref output, 3 * outChannel));
        a41.StoreUnsafe(ref Unsafe.Add(ref output, 4 * outChannel + second));
        a40.StoreUnsafe(ref Unsafe.Add(ref output, 4 * outChannel));
        a51.StoreUnsafe(ref Unsafe.Add(ref output, 5 * outChannel + second));
        a50.StoreUnsafe(ref Unsafe.Add(ref output, 5 * outChannel));
        a61.StoreUnsafe(ref Unsafe.Add(ref output, 6 * outChannel + second));
        a60.StoreUnsafe(ref Unsafe.Add(ref output, 6 * outChannel));
        a71.StoreUnsafe(ref Unsafe.Add(ref output, 7 * outChannel + second));
        a70.StoreUnsafe(ref Unsafe.Add(ref output, 7 * outChannel));
    }
}
