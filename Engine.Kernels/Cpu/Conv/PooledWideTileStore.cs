using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// <see cref="WideConvTiles.Forward{TStore}"/>'s output pooled 2×2 in registers (float32, AVX-512): the tile computes two
/// output rows (a window row pair) of 16 pixels for 8 channels, and this store writes only the 8 pooled values and winner
/// codes per channel (after a ReLU, when asked: <see cref="PoolArgmaxKernels.Rectify(ref Vector512{float}, ref Vector512{float})"/>). Why: pooling from a scratch copy of the convolution's output wrote and re-read every output value (the
/// hypernetwork's first layer spent about as long on that as on its FMAs); here the values never leave the registers.
/// The sums are the tile's own and the windows go through
/// <see cref="PoolArgmaxKernels.Windows"/>, so the results are bit for bit those of the two separate steps.
/// </summary>
internal readonly struct PooledWideTileStore(float[] pooled, int pooledAt, float[] code, int codeAt, nint outChannel, bool relu) : IWideTileStore
{
    /// <summary>Channel j's top row (aj0) and bottom row (aj1) of 16 pixels, pooled into 8 windows at pooled[j·outChannel] and code[j·outChannel].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(
        Vector512<float> a00, Vector512<float> a01, Vector512<float> a10, Vector512<float> a11, Vector512<float> a20, Vector512<float> a21,
        Vector512<float> a30, Vector512<float> a31, Vector512<float> a40, Vector512<float> a41, Vector512<float> a50, Vector512<float> a51,
        Vector512<float> a60, Vector512<float> a61, Vector512<float> a70, Vector512<float> a71)
    {
        ref var p = ref pooled[pooledAt];
        ref var c = ref code[codeAt];
        StorePair(a00, a10, a01, a11, ref p, ref c, outChannel, relu);
        StorePair(a20, a30, a21, a31, ref Unsafe.Add(ref p, 2 * outChannel), ref Unsafe.Add(ref c, 2 * outChannel), outChannel, relu);
        StorePair(a40, a50, a41, a51, ref Unsafe.Add(ref p, 4 * outChannel), ref Unsafe.Add(ref c, 4 * outChannel), outChannel, relu);
        StorePair(a60, a70, a61, a71, ref Unsafe.Add(ref p, 6 * outChannel), ref Unsafe.Add(ref c, 6 * outChannel), outChannel, relu);
    }

    /// <summary>Two channels' row pairs pooled as one block of 16 windows: the first channel's 8 in the low half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePair(
        Vector512<float> topA, Vector512<float> topB, Vector512<float> bottomA, Vector512<float> bottomB, ref float pooled, ref float code, nint outChannel, bool relu)
    {
        var (best, winner) = PoolArgmaxKernels.Windows(topA, topB, bottomA, bottomB);
        if (relu)
        {
            PoolArgmaxKernels.Rectify(ref best, ref winner);
        }

        best.GetLower().StoreUnsafe(ref pooled);
        best.GetUpper().StoreUnsafe(ref Unsafe.Add(ref pooled, outChannel));
        winner.GetLower().StoreUnsafe(ref code);
        winner.GetUpper().StoreUnsafe(ref Unsafe.Add(ref code, outChannel));
    }
}

/// <summary>
/// One image per index: pad it, then for each window row pair and group of 8 channels, the 16-pixel blocks of
/// <see cref="PooledWideTileStore"/> (the last moved back to end at the row; Q is even, so every block starts on a window).
/// </summary>
internal readonly struct PooledWideForwardBody(ConvGeometry g, float[] x, int xo, float[] weights, float[]? bias, int bo, float[] pooled, int po, float[] code, int co, bool relu) : IRangeBody
{
    public void Run(int start, int end)
    {
        int wp = g.W + 2 * g.PadW, plane = (g.H + 2 * g.PadH) * wp, chw = g.C * g.H * g.W, half = g.Q / 2, quarter = g.P / 2 * half;
        var padded = ConvScratch<float>.Columns(g.C * plane);
        Span<int> taps = stackalloc int[g.R * g.S];
        DirectConvLayout.Taps(g, taps);

        var blocks = WideConv.Blocks(g.Q);
        for (var n = start; n < end; n++)
        {
            DirectConvLayout.Pad(g, x.AsSpan(xo + n * chw, chw), padded);
            for (var i = 0; i < g.P / 2; i++)
            {
                for (var k = 0; k < g.K; k += WideConvTiles.Channels)
                {
                    ReadOnlySpan<float> b = bias is null ? default : bias.AsSpan(bo + k, WideConvTiles.Channels);
                    var at = (n * g.K + k) * quarter + i * half;
                    if (i + 1 < g.P / 2)
                    {
                        OutputPrefetch.Runs(pooled, po + at + half, half, WideConvTiles.Channels, quarter);
                        OutputPrefetch.Runs(code, co + at + half, half, WideConvTiles.Channels, quarter);
                    }

                    for (var block = 0; block < blocks; block++)
                    {
                        var first = DirectConv.TileStart(block, Vector512<float>.Count, g.Q);
                        WideConvTiles.Forward(ref padded[2 * i * wp + first], wp, plane, g.C, taps, ref weights[k], g.K, b,
                            new PooledWideTileStore(pooled, po + at + first / 2, code, co + at + first / 2, quarter, relu));
                    }
                }
            }
        }
    }
}
