using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The stride-1 forward tile of <see cref="DirectConvTiles.Forward{TStride}"/> for kernels 5 taps wide, with the taps of a
/// kernel row taken together. Why: the per-tap tile loads one broadcast input value for every FMA (16 loads per 14 FMAs:
/// bound by the two load ports, not the FMA units). Along a kernel row, input column j feeds output pixel j − s through tap
/// s, so here each broadcast serves up to 5 FMAs: per input channel and kernel row, 10 weight vectors and 22 broadcasts
/// feed 70 FMAs (14 accumulators, 10 weights and 2 broadcasts: 26 of the 32 zmm registers).
/// The body is written out because registers cannot be indexed: block j broadcasts input column j (0…10) of both lanes
/// and adds it into pixel i = j − s with tap s's weights, for every s in 0…4 with i in 0…6.
/// </summary>
internal static class DirectConvRowTile
{
    /// <summary>Kernel width this tile serves.</summary>
    public const int Width = 5;

    /// <summary>
    /// out[i, lane] = Σ_c Σ_r Σ_s input[c·plane + rows[r] + i + s + lane·inLane] · weights[(c·|rows|·5 + r·5 + s)·wStep + lane·wLane]
    /// for the 7 pixels i, stored at output[i·outPixel + lane·outLane]: <see cref="DirectConvTiles.Forward{TStride}"/> at
    /// stride 1 with taps rows[r] + s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TLanes>(
        ref float input, nint inLane, nint plane, ref float weights, nint wLane, nint wStep, int channels,
        ReadOnlySpan<int> rows, ref float output, nint outPixel, nint outLane)
        where TLanes : struct, ITileLanes
    {
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<float> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
        Vector512<float> a60 = default, a61 = default;
        Vector512<float> b0, b1;
        ref var w = ref weights;
        for (var c = 0; c < channels; c++)
        {
            ref var channel = ref Unsafe.Add(ref input, c * plane);
            foreach (var row in rows)
            {
                ref var s0 = ref Unsafe.Add(ref channel, row);
                ref var s1 = ref Unsafe.Add(ref s0, inLane);
                var w00 = Vector512.LoadUnsafe(ref w);
                var w01 = TLanes.SharedVector ? w00 : Vector512.LoadUnsafe(ref Unsafe.Add(ref w, wLane));
                var w10 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 1 * wStep));
                var w11 = TLanes.SharedVector ? w10 : Vector512.LoadUnsafe(ref Unsafe.Add(ref Unsafe.Add(ref w, 1 * wStep), wLane));
                var w20 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 2 * wStep));
                var w21 = TLanes.SharedVector ? w20 : Vector512.LoadUnsafe(ref Unsafe.Add(ref Unsafe.Add(ref w, 2 * wStep), wLane));
                var w30 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 3 * wStep));
                var w31 = TLanes.SharedVector ? w30 : Vector512.LoadUnsafe(ref Unsafe.Add(ref Unsafe.Add(ref w, 3 * wStep), wLane));
                var w40 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, 4 * wStep));
                var w41 = TLanes.SharedVector ? w40 : Vector512.LoadUnsafe(ref Unsafe.Add(ref Unsafe.Add(ref w, 4 * wStep), wLane));
                b0 = Vector512.Create(s0);
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(s1);
                a00 = Vector512.FusedMultiplyAdd(b0, w00, a00);
                a01 = Vector512.FusedMultiplyAdd(b1, w01, a01);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 1));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 1));
                a10 = Vector512.FusedMultiplyAdd(b0, w00, a10);
                a11 = Vector512.FusedMultiplyAdd(b1, w01, a11);
                a00 = Vector512.FusedMultiplyAdd(b0, w10, a00);
                a01 = Vector512.FusedMultiplyAdd(b1, w11, a01);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 2));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 2));
                a20 = Vector512.FusedMultiplyAdd(b0, w00, a20);
                a21 = Vector512.FusedMultiplyAdd(b1, w01, a21);
                a10 = Vector512.FusedMultiplyAdd(b0, w10, a10);
                a11 = Vector512.FusedMultiplyAdd(b1, w11, a11);
                a00 = Vector512.FusedMultiplyAdd(b0, w20, a00);
                a01 = Vector512.FusedMultiplyAdd(b1, w21, a01);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 3));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 3));
                a30 = Vector512.FusedMultiplyAdd(b0, w00, a30);
                a31 = Vector512.FusedMultiplyAdd(b1, w01, a31);
                a20 = Vector512.FusedMultiplyAdd(b0, w10, a20);
                a21 = Vector512.FusedMultiplyAdd(b1, w11, a21);
                a10 = Vector512.FusedMultiplyAdd(b0, w20, a10);
                a11 = Vector512.FusedMultiplyAdd(b1, w21, a11);
                a00 = Vector512.FusedMultiplyAdd(b0, w30, a00);
                a01 = Vector512.FusedMultiplyAdd(b1, w31, a01);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 4));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 4));
                a40 = Vector512.FusedMultiplyAdd(b0, w00, a40);
                a41 = Vector512.FusedMultiplyAdd(b1, w01, a41);
                a30 = Vector512.FusedMultiplyAdd(b0, w10, a30);
                a31 = Vector512.FusedMultiplyAdd(b1, w11, a31);
                a20 = Vector512.FusedMultiplyAdd(b0, w20, a20);
                a21 = Vector512.FusedMultiplyAdd(b1, w21, a21);
                a10 = Vector512.FusedMultiplyAdd(b0, w30, a10);
                a11 = Vector512.FusedMultiplyAdd(b1, w31, a11);
                a00 = Vector512.FusedMultiplyAdd(b0, w40, a00);
                a01 = Vector512.FusedMultiplyAdd(b1, w41, a01);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 5));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 5));
                a50 = Vector512.FusedMultiplyAdd(b0, w00, a50);
                a51 = Vector512.FusedMultiplyAdd(b1, w01, a51);
                a40 = Vector512.FusedMultiplyAdd(b0, w10, a40);
                a41 = Vector512.FusedMultiplyAdd(b1, w11, a41);
                a30 = Vector512.FusedMultiplyAdd(b0, w20, a30);
                a31 = Vector512.FusedMultiplyAdd(b1, w21, a31);
                a20 = Vector512.FusedMultiplyAdd(b0, w30, a20);
                a21 = Vector512.FusedMultiplyAdd(b1, w31, a21);
                a10 = Vector512.FusedMultiplyAdd(b0, w40, a10);
                a11 = Vector512.FusedMultiplyAdd(b1, w41, a11);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 6));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 6));
                a60 = Vector512.FusedMultiplyAdd(b0, w00, a60);
                a61 = Vector512.FusedMultiplyAdd(b1, w01, a61);
                a50 = Vector512.FusedMultiplyAdd(b0, w10, a50);
                a51 = Vector512.FusedMultiplyAdd(b1, w11, a51);
                a40 = Vector512.FusedMultiplyAdd(b0, w20, a40);
                a41 = Vector512.FusedMultiplyAdd(b1, w21, a41);
                a30 = Vector512.FusedMultiplyAdd(b0, w30, a30);
                a31 = Vector512.FusedMultiplyAdd(b1, w31, a31);
                a20 = Vector512.FusedMultiplyAdd(b0, w40, a20);
                a21 = Vector512.FusedMultiplyAdd(b1, w41, a21);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 7));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 7));
                a60 = Vector512.FusedMultiplyAdd(b0, w10, a60);
                a61 = Vector512.FusedMultiplyAdd(b1, w11, a61);
                a50 = Vector512.FusedMultiplyAdd(b0, w20, a50);
                a51 = Vector512.FusedMultiplyAdd(b1, w21, a51);
                a40 = Vector512.FusedMultiplyAdd(b0, w30, a40);
                a41 = Vector512.FusedMultiplyAdd(b1, w31, a41);
                a30 = Vector512.FusedMultiplyAdd(b0, w40, a30);
                a31 = Vector512.FusedMultiplyAdd(b1, w41, a31);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 8));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 8));
                a60 = Vector512.FusedMultiplyAdd(b0, w20, a60);
                a61 = Vector512.FusedMultiplyAdd(b1, w21, a61);
                a50 = Vector512.FusedMultiplyAdd(b0, w30, a50);
                a51 = Vector512.FusedMultiplyAdd(b1, w31, a51);
                a40 = Vector512.FusedMultiplyAdd(b0, w40, a40);
                a41 = Vector512.FusedMultiplyAdd(b1, w41, a41);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 9));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 9));
                a60 = Vector512.FusedMultiplyAdd(b0, w30, a60);
                a61 = Vector512.FusedMultiplyAdd(b1, w31, a61);
                a50 = Vector512.FusedMultiplyAdd(b0, w40, a50);
                a51 = Vector512.FusedMultiplyAdd(b1, w41, a51);
                b0 = Vector512.Create(Unsafe.Add(ref s0, 10));
                b1 = TLanes.SharedBroadcast ? b0 : Vector512.Create(Unsafe.Add(ref s1, 10));
                a60 = Vector512.FusedMultiplyAdd(b0, w40, a60);
                a61 = Vector512.FusedMultiplyAdd(b1, w41, a61);
                w = ref Unsafe.Add(ref w, Width * wStep);
            }
        }

        DirectConvTiles.StorePair(ref output, outLane, a00, a01);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outPixel), outLane, a10, a11);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 2 * outPixel), outLane, a20, a21);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 3 * outPixel), outLane, a30, a31);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 4 * outPixel), outLane, a40, a41);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 5 * outPixel), outLane, a50, a51);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 6 * outPixel), outLane, a60, a61);
    }

    /// <summary>
    /// The stride-1 weight gradient of one kernel row (5 taps starting at input offset <paramref name="row"/>) for two lanes:
    /// g[s, lane] = Σ_{n,y,x} input[n·image + y·rowStride + x + row + s + lane·inLane] · dy[((n·rows + y)·cols + x)·dyPixel + lane·dyLane],
    /// stored at output[s·outTap + lane·outLane]: <see cref="DirectConvTiles.Weight"/> for a row of consecutive taps. Why: that
    /// tile broadcasts input[x + s] afresh for each of the 5 taps, so the same value is loaded 5 times as x moves on. Here the
    /// 5 broadcasts of a lane stay in registers as a window that slides one column per pixel (one new broadcast per pixel
    /// and lane), so a pixel costs 2 dy loads and 2 broadcasts for 10 FMAs instead of 2 + 10. Registers cannot be indexed, so
    /// the window's slots rotate through 5 written-out steps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Weight(
        ref float input, nint inLane, nint image, nint rowStride, int images, int rows, int cols,
        int row, ref float dy, nint dyLane, nint dyPixel, ref float output, nint outTap, nint outLane)
    {
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
        Vector512<float> a30 = default, a31 = default, a40 = default, a41 = default;
        Vector512<float> e00, e01, e02, e03, e04, e10, e11, e12, e13, e14, d0, d1;
        ref var d = ref dy;
        for (var n = 0; n < images; n++)
        {
            for (var y = 0; y < rows; y++)
            {
                ref var s0 = ref Unsafe.Add(ref input, n * image + y * rowStride + row);
                ref var s1 = ref Unsafe.Add(ref s0, inLane);
                e00 = Vector512.Create(s0);
                e01 = Vector512.Create(Unsafe.Add(ref s0, 1));
                e02 = Vector512.Create(Unsafe.Add(ref s0, 2));
                e03 = Vector512.Create(Unsafe.Add(ref s0, 3));
                e10 = Vector512.Create(s1);
                e11 = Vector512.Create(Unsafe.Add(ref s1, 1));
                e12 = Vector512.Create(Unsafe.Add(ref s1, 2));
                e13 = Vector512.Create(Unsafe.Add(ref s1, 3));
                var x = 0;
                while (true)
                {
                    // pixel x ≡ 0 (mod 5): input column x + 4 enters window slot 4
                    d0 = Vector512.LoadUnsafe(ref d);
                    d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, dyLane));
                    e04 = Vector512.Create(Unsafe.Add(ref s0, 4));
                    e14 = Vector512.Create(Unsafe.Add(ref s1, 4));
                    a00 = Vector512.FusedMultiplyAdd(e00, d0, a00);
                    a01 = Vector512.FusedMultiplyAdd(e10, d1, a01);
                    a10 = Vector512.FusedMultiplyAdd(e01, d0, a10);
                    a11 = Vector512.FusedMultiplyAdd(e11, d1, a11);
                    a20 = Vector512.FusedMultiplyAdd(e02, d0, a20);
                    a21 = Vector512.FusedMultiplyAdd(e12, d1, a21);
                    a30 = Vector512.FusedMultiplyAdd(e03, d0, a30);
                    a31 = Vector512.FusedMultiplyAdd(e13, d1, a31);
                    a40 = Vector512.FusedMultiplyAdd(e04, d0, a40);
                    a41 = Vector512.FusedMultiplyAdd(e14, d1, a41);
                    s0 = ref Unsafe.Add(ref s0, 1);
                    s1 = ref Unsafe.Add(ref s1, 1);
                    d = ref Unsafe.Add(ref d, dyPixel);
                    if (++x == cols)
                    {
                        break;
                    }

                    // pixel x ≡ 1 (mod 5): input column x + 4 enters window slot 0
                    d0 = Vector512.LoadUnsafe(ref d);
                    d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, dyLane));
                    e00 = Vector512.Create(Unsafe.Add(ref s0, 4));
                    e10 = Vector512.Create(Unsafe.Add(ref s1, 4));
                    a00 = Vector512.FusedMultiplyAdd(e01, d0, a00);
                    a01 = Vector512.FusedMultiplyAdd(e11, d1, a01);
                    a10 = Vector512.FusedMultiplyAdd(e02, d0, a10);
                    a11 = Vector512.FusedMultiplyAdd(e12, d1, a11);
                    a20 = Vector512.FusedMultiplyAdd(e03, d0, a20);
                    a21 = Vector512.FusedMultiplyAdd(e13, d1, a21);
                    a30 = Vector512.FusedMultiplyAdd(e04, d0, a30);
                    a31 = Vector512.FusedMultiplyAdd(e14, d1, a31);
                    a40 = Vector512.FusedMultiplyAdd(e00, d0, a40);
                    a41 = Vector512.FusedMultiplyAdd(e10, d1, a41);
                    s0 = ref Unsafe.Add(ref s0, 1);
                    s1 = ref Unsafe.Add(ref s1, 1);
                    d = ref Unsafe.Add(ref d, dyPixel);
                    if (++x == cols)
                    {
                        break;
                    }

                    // pixel x ≡ 2 (mod 5): input column x + 4 enters window slot 1
                    d0 = Vector512.LoadUnsafe(ref d);
                    d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, dyLane));
                    e01 = Vector512.Create(Unsafe.Add(ref s0, 4));
                    e11 = Vector512.Create(Unsafe.Add(ref s1, 4));
                    a00 = Vector512.FusedMultiplyAdd(e02, d0, a00);
                    a01 = Vector512.FusedMultiplyAdd(e12, d1, a01);
                    a10 = Vector512.FusedMultiplyAdd(e03, d0, a10);
                    a11 = Vector512.FusedMultiplyAdd(e13, d1, a11);
                    a20 = Vector512.FusedMultiplyAdd(e04, d0, a20);
                    a21 = Vector512.FusedMultiplyAdd(e14, d1, a21);
                    a30 = Vector512.FusedMultiplyAdd(e00, d0, a30);
                    a31 = Vector512.FusedMultiplyAdd(e10, d1, a31);
                    a40 = Vector512.FusedMultiplyAdd(e01, d0, a40);
                    a41 = Vector512.FusedMultiplyAdd(e11, d1, a41);
                    s0 = ref Unsafe.Add(ref s0, 1);
                    s1 = ref Unsafe.Add(ref s1, 1);
                    d = ref Unsafe.Add(ref d, dyPixel);
                    if (++x == cols)
                    {
                        break;
                    }

                    // pixel x ≡ 3 (mod 5): input column x + 4 enters window slot 2
                    d0 = Vector512.LoadUnsafe(ref d);
                    d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, dyLane));
                    e02 = Vector512.Create(Unsafe.Add(ref s0, 4));
                    e12 = Vector512.Create(Unsafe.Add(ref s1, 4));
                    a00 = Vector512.FusedMultiplyAdd(e03, d0, a00);
                    a01 = Vector512.FusedMultiplyAdd(e13, d1, a01);
                    a10 = Vector512.FusedMultiplyAdd(e04, d0, a10);
                    a11 = Vector512.FusedMultiplyAdd(e14, d1, a11);
                    a20 = Vector512.FusedMultiplyAdd(e00, d0, a20);
                    a21 = Vector512.FusedMultiplyAdd(e10, d1, a21);
                    a30 = Vector512.FusedMultiplyAdd(e01, d0, a30);
                    a31 = Vector512.FusedMultiplyAdd(e11, d1, a31);
                    a40 = Vector512.FusedMultiplyAdd(e02, d0, a40);
                    a41 = Vector512.FusedMultiplyAdd(e12, d1, a41);
                    s0 = ref Unsafe.Add(ref s0, 1);
                    s1 = ref Unsafe.Add(ref s1, 1);
                    d = ref Unsafe.Add(ref d, dyPixel);
                    if (++x == cols)
                    {
                        break;
                    }

                    // pixel x ≡ 4 (mod 5): input column x + 4 enters window slot 3
                    d0 = Vector512.LoadUnsafe(ref d);
                    d1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref d, dyLane));
                    e03 = Vector512.Create(Unsafe.Add(ref s0, 4));
                    e13 = Vector512.Create(Unsafe.Add(ref s1, 4));
                    a00 = Vector512.FusedMultiplyAdd(e04, d0, a00);
                    a01 = Vector512.FusedMultiplyAdd(e14, d1, a01);
                    a10 = Vector512.FusedMultiplyAdd(e00, d0, a10);
                    a11 = Vector512.FusedMultiplyAdd(e10, d1, a11);
                    a20 = Vector512.FusedMultiplyAdd(e01, d0, a20);
                    a21 = Vector512.FusedMultiplyAdd(e11, d1, a21);
                    a30 = Vector512.FusedMultiplyAdd(e02, d0, a30);
                    a31 = Vector512.FusedMultiplyAdd(e12, d1, a31);
                    a40 = Vector512.FusedMultiplyAdd(e03, d0, a40);
                    a41 = Vector512.FusedMultiplyAdd(e13, d1, a41);
                    s0 = ref Unsafe.Add(ref s0, 1);
                    s1 = ref Unsafe.Add(ref s1, 1);
                    d = ref Unsafe.Add(ref d, dyPixel);
                    if (++x == cols)
                    {
                        break;
                    }
                }
            }
        }

        DirectConvTiles.StorePair(ref output, outLane, a00, a01);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outTap), outLane, a10, a11);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 2 * outTap), outLane, a20, a21);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 3 * outTap), outLane, a30, a31);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 4 * outTap), outLane, a40, a41);
    }

    /// <summary>Whether <paramref name="taps"/> are whole kernel rows of 5 consecutive columns; if so their row starts go into <paramref name="rows"/>.</summary>
    public static bool TryRows(ReadOnlySpan<int> taps, Span<int> rows, out int count)
    {
        count = 0;
        if (taps.Length == 0 || taps.Length % Width != 0 || rows.Length < taps.Length / Width)
        {
            return false;
        }

        for (var t = 0; t < taps.Length; t++)
        {
            if (taps[t] != taps[t - t % Width] + t % Width)
            {
                return false;
            }
        }

        count = taps.Length / Width;
        for (var r = 0; r < count; r++)
        {
            rows[r] = taps[r * Width];
        }

        return true;
    }
}
