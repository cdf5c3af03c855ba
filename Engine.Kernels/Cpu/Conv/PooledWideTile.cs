using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// <see cref="WideConvTiles.Forward"/> with the 2×2 max-pool done in registers (float32, AVX-512): the tile holds two
/// output rows (a window row pair) of 16 pixels for 8 channels, and writes only the 8 pooled values and winner codes per
/// channel. Why: pooling from a scratch copy of the convolution's output wrote and re-read every output value (the
/// hypernetwork's first layer spent about as long on that as on its FMAs); here the values never leave the registers.
/// The sums run in <see cref="WideConvTiles.Forward"/>'s order and the windows go through
/// <see cref="PoolArgmaxKernels.Windows"/>, so the results are bit for bit those of the two separate steps.
/// </summary>
internal static class PooledWideTile
{
    /// <summary>Output channels per tile.</summary>
    public const int Channels = 8;

    /// <summary>
    /// Rows 2i and 2i + 1 (the top row's input at <paramref name="input"/>, the bottom's <paramref name="rowStep"/> later)
    /// of 16 output pixels for 8 channels: out[j, row] = bias[j] + Σ_c Σ_t input[c·plane + taps[t] + row·rowStep + 0…15]
    /// · weights[(c·|taps| + t)·wStep + j], pooled into 8 windows per channel stored at pooled[j·outChannel] and
    /// code[j·outChannel].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(
        ref float input, nint rowStep, nint plane, int channels, ReadOnlySpan<int> taps, ref float weights, nint wStep,
        ReadOnlySpan<float> bias, ref float pooled, ref float code, nint outChannel)
    {
        var b0 = bias.IsEmpty ? default : Vector512.Create(bias[0]);
        var b1 = bias.IsEmpty ? default : Vector512.Create(bias[1]);
        var b2 = bias.IsEmpty ? default : Vector512.Create(bias[2]);
        var b3 = bias.IsEmpty ? default : Vector512.Create(bias[3]);
        var b4 = bias.IsEmpty ? default : Vector512.Create(bias[4]);
        var b5 = bias.IsEmpty ? default : Vector512.Create(bias[5]);
        var b6 = bias.IsEmpty ? default : Vector512.Create(bias[6]);
        var b7 = bias.IsEmpty ? default : Vector512.Create(bias[7]);
        Vector512<float> t0 = b0, u0 = b0, t1 = b1, u1 = b1, t2 = b2, u2 = b2, t3 = b3, u3 = b3;
        Vector512<float> t4 = b4, u4 = b4, t5 = b5, u5 = b5, t6 = b6, u6 = b6, t7 = b7, u7 = b7;
        ref var w = ref weights;
        for (var c = 0; c < channels; c++)
        {
            ref var channel = ref Unsafe.Add(ref input, c * plane);
            foreach (var tap in taps)
            {
                ref var src = ref Unsafe.Add(ref channel, tap);
                var top = Vector512.LoadUnsafe(ref src);
                var bottom = Vector512.LoadUnsafe(ref Unsafe.Add(ref src, rowStep));
                var w0 = Vector512.Create(w);
                t0 = Vector512.FusedMultiplyAdd(top, w0, t0);
                u0 = Vector512.FusedMultiplyAdd(bottom, w0, u0);
                var w1 = Vector512.Create(Unsafe.Add(ref w, 1));
                t1 = Vector512.FusedMultiplyAdd(top, w1, t1);
                u1 = Vector512.FusedMultiplyAdd(bottom, w1, u1);
                var w2 = Vector512.Create(Unsafe.Add(ref w, 2));
                t2 = Vector512.FusedMultiplyAdd(top, w2, t2);
                u2 = Vector512.FusedMultiplyAdd(bottom, w2, u2);
                var w3 = Vector512.Create(Unsafe.Add(ref w, 3));
                t3 = Vector512.FusedMultiplyAdd(top, w3, t3);
                u3 = Vector512.FusedMultiplyAdd(bottom, w3, u3);
                var w4 = Vector512.Create(Unsafe.Add(ref w, 4));
                t4 = Vector512.FusedMultiplyAdd(top, w4, t4);
                u4 = Vector512.FusedMultiplyAdd(bottom, w4, u4);
                var w5 = Vector512.Create(Unsafe.Add(ref w, 5));
                t5 = Vector512.FusedMultiplyAdd(top, w5, t5);
                u5 = Vector512.FusedMultiplyAdd(bottom, w5, u5);
                var w6 = Vector512.Create(Unsafe.Add(ref w, 6));
                t6 = Vector512.FusedMultiplyAdd(top, w6, t6);
                u6 = Vector512.FusedMultiplyAdd(bottom, w6, u6);
                var w7 = Vector512.Create(Unsafe.Add(ref w, 7));
                t7 = Vector512.FusedMultiplyAdd(top, w7, t7);
                u7 = Vector512.FusedMultiplyAdd(bottom, w7, u7);
                w = ref Unsafe.Add(ref w, wStep);
            }
        }

        StorePair(t0, t1, u0, u1, ref pooled, ref code, outChannel);
        StorePair(t2, t3, u2, u3, ref Unsafe.Add(ref pooled, 2 * outChannel), ref Unsafe.Add(ref code, 2 * outChannel), outChannel);
        StorePair(t4, t5, u4, u5, ref Unsafe.Add(ref pooled, 4 * outChannel), ref Unsafe.Add(ref code, 4 * outChannel), outChannel);
        StorePair(t6, t7, u6, u7, ref Unsafe.Add(ref pooled, 6 * outChannel), ref Unsafe.Add(ref code, 6 * outChannel), outChannel);
    }

    /// <summary>Two channels' row pairs pooled as one block of 16 windows: the first channel's 8 in the low half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(
        Vector512<float> topA, Vector512<float> topB, Vector512<float> bottomA, Vector512<float> bottomB, ref float pooled, ref float code, nint outChannel)
    {
        var (best, winner) = PoolArgmaxKernels.Windows(topA, topB, bottomA, bottomB);
        best.GetLower().StoreUnsafe(ref pooled);
        best.GetUpper().StoreUnsafe(ref Unsafe.Add(ref pooled, outChannel));
        winner.GetLower().StoreUnsafe(ref code);
        winner.GetUpper().StoreUnsafe(ref Unsafe.Add(ref code, outChannel));
    }
}

/// <summary>
/// One image per index: pad it, then for each window row pair and group of 8 channels, the 16-pixel blocks of
/// <see cref="PooledWideTile"/> (the last moved back to end at the row; Q is even, so every block starts on a window).
/// </summary>
internal readonly struct PooledWideForwardBody(ConvGeometry g, float[] x, int xo, float[] weights, float[]? bias, int bo, float[] pooled, int po, float[] code, int co) : IRangeBody
{
    public void Run(int start, int end)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp, chw = g.C * g.H * g.W, half = g.Q / 2, quarter = g.P / 2 * half;
        var padded = ConvScratch<float>.Columns(g.C * plane);
        Span<int> taps = stackalloc int[g.R * g.S];
        for (var t = 0; t < taps.Length; t++)
        {
            taps[t] = t / g.S * wp + t % g.S;
        }

        var blocks = WideConv.Blocks(g.Q);
        for (var n = start; n < end; n++)
        {
            DirectConvLayout.Pad(g, x.AsSpan(xo + n * chw, chw), padded);
            for (var i = 0; i < g.P / 2; i++)
            {
                for (var k = 0; k < g.K; k += PooledWideTile.Channels)
                {
                    ReadOnlySpan<float> b = bias is null ? default : bias.AsSpan(bo + k, PooledWideTile.Channels);
                    var at = (n * g.K + k) * quarter + i * half;
                    for (var block = 0; block < blocks; block++)
                    {
                        var first = DirectConv.TileStart(block, Vector512<float>.Count, g.Q);
                        PooledWideTile.Forward(ref padded[2 * i * wp + first], wp, plane, g.C, taps, ref weights[k], g.K, b,
                            ref pooled[po + at + first / 2], ref code[co + at + first / 2], quarter);
                    }
                }
            }
        }
    }
}
