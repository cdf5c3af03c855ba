using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The forward register tile of <see cref="DirectConv"/> for two output rows at once (float32, AVX-512): 7 pixels × 2 rows
/// × 2 channel vectors, 28 zmm accumulators; per tap 14 broadcasts and 2 weight loads feed 28 FMAs.
/// Why: the one-row tile (<see cref="DirectConvTiles.Forward{TStride, TLanes}"/>) loads 9 values and runs its loop
/// overhead per 14 FMAs; the conv VAE's 32 → 64 stride-2 layer and the phases of its transposed convolution spend most of
/// their time in it, with rows of 7 pixels that no wider tile fits.
/// </summary>
internal static class DirectConvRowPairTile
{
    private const int Width = 16;

    /// <summary>
    /// out[r, i, lane] = Σ_c Σ_t input[c·plane + taps[t] + r·rowStep + i·stride] · weights[(c·|taps| + t)·wStep + lane·16],
    /// stored (not added) at output[r·outRow + i·outPixel + lane·16], for rows r &lt; 2, pixels i &lt; 7 and lanes &lt; 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<TStride>(
        ref float input, nint rowStep, nint plane, ref float weights, nint wStep, int channels, ReadOnlySpan<int> taps,
        ref float output, nint outPixel, nint outRow)
        where TStride : struct, IColumnStride
    {
        var stride = (nint)TStride.Value;
        Vector512<float> a000 = default, a001 = default, a010 = default, a011 = default, a020 = default, a021 = default, a030 = default, a031 = default;
        Vector512<float> a040 = default, a041 = default, a050 = default, a051 = default, a060 = default, a061 = default, a100 = default, a101 = default;
        Vector512<float> a110 = default, a111 = default, a120 = default, a121 = default, a130 = default, a131 = default, a140 = default, a141 = default;
        Vector512<float> a150 = default, a151 = default, a160 = default, a161 = default;
        ref var w = ref weights;
        for (var c = 0; c < channels; c++)
        {
            ref var channel = ref Unsafe.Add(ref input, c * plane);
            foreach (var tap in taps)
            {
                ref var s0 = ref Unsafe.Add(ref channel, tap);
                ref var s1 = ref Unsafe.Add(ref s0, rowStep);
                var w0 = Vector512.LoadUnsafe(ref w);
                var w1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref w, Width));
                var b00 = Vector512.Create(s0);
                a000 = Vector512.FusedMultiplyAdd(b00, w0, a000);
                a001 = Vector512.FusedMultiplyAdd(b00, w1, a001);
                var b01 = Vector512.Create(Unsafe.Add(ref s0, 1 * stride));
                a010 = Vector512.FusedMultiplyAdd(b01, w0, a010);
                a011 = Vector512.FusedMultiplyAdd(b01, w1, a011);
                var b02 = Vector512.Create(Unsafe.Add(ref s0, 2 * stride));
                a020 = Vector512.FusedMultiplyAdd(b02, w0, a020);
                a021 = Vector512.FusedMultiplyAdd(b02, w1, a021);
                var b03 = Vector512.Create(Unsafe.Add(ref s0, 3 * stride));
                a030 = Vector512.FusedMultiplyAdd(b03, w0, a030);
                a031 = Vector512.FusedMultiplyAdd(b03, w1, a031);
                var b04 = Vector512.Create(Unsafe.Add(ref s0, 4 * stride));
                a040 = Vector512.FusedMultiplyAdd(b04, w0, a040);
                a041 = Vector512.FusedMultiplyAdd(b04, w1, a041);
                var b05 = Vector512.Create(Unsafe.Add(ref s0, 5 * stride));
                a050 = Vector512.FusedMultiplyAdd(b05, w0, a050);
                a051 = Vector512.FusedMultiplyAdd(b05, w1, a051);
                var b06 = Vector512.Create(Unsafe.Add(ref s0, 6 * stride));
                a060 = Vector512.FusedMultiplyAdd(b06, w0, a060);
                a061 = Vector512.FusedMultiplyAdd(b06, w1, a061);
                var b10 = Vector512.Create(s1);
                a100 = Vector512.FusedMultiplyAdd(b10, w0, a100);
                a101 = Vector512.FusedMultiplyAdd(b10, w1, a101);
                var b11 = Vector512.Create(Unsafe.Add(ref s1, 1 * stride));
                a110 = Vector512.FusedMultiplyAdd(b11, w0, a110);
                a111 = Vector512.FusedMultiplyAdd(b11, w1, a111);
                var b12 = Vector512.Create(Unsafe.Add(ref s1, 2 * stride));
                a120 = Vector512.FusedMultiplyAdd(b12, w0, a120);
                a121 = Vector512.FusedMultiplyAdd(b12, w1, a121);
                var b13 = Vector512.Create(Unsafe.Add(ref s1, 3 * stride));
                a130 = Vector512.FusedMultiplyAdd(b13, w0, a130);
                a131 = Vector512.FusedMultiplyAdd(b13, w1, a131);
                var b14 = Vector512.Create(Unsafe.Add(ref s1, 4 * stride));
                a140 = Vector512.FusedMultiplyAdd(b14, w0, a140);
                a141 = Vector512.FusedMultiplyAdd(b14, w1, a141);
                var b15 = Vector512.Create(Unsafe.Add(ref s1, 5 * stride));
                a150 = Vector512.FusedMultiplyAdd(b15, w0, a150);
                a151 = Vector512.FusedMultiplyAdd(b15, w1, a151);
                var b16 = Vector512.Create(Unsafe.Add(ref s1, 6 * stride));
                a160 = Vector512.FusedMultiplyAdd(b16, w0, a160);
                a161 = Vector512.FusedMultiplyAdd(b16, w1, a161);
                w = ref Unsafe.Add(ref w, wStep);
            }
        }

        DirectConvTiles.StorePair(ref output, Width, a000, a001);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outPixel), Width, a010, a011);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 2 * outPixel), Width, a020, a021);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 3 * outPixel), Width, a030, a031);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 4 * outPixel), Width, a040, a041);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 5 * outPixel), Width, a050, a051);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, 6 * outPixel), Width, a060, a061);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow), Width, a100, a101);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow + outPixel), Width, a110, a111);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow + 2 * outPixel), Width, a120, a121);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow + 3 * outPixel), Width, a130, a131);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow + 4 * outPixel), Width, a140, a141);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow + 5 * outPixel), Width, a150, a151);
        DirectConvTiles.StorePair(ref Unsafe.Add(ref output, outRow + 6 * outPixel), Width, a160, a161);
    }
}
