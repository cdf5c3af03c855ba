using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// <see cref="DirectConv"/>'s forward followed by a 2×2 max-pool with winners (<see cref="PooledConv"/>), one image per
/// index: the image is convolved into the [P·Q, K] staging block as <see cref="DirectForwardBody"/> does, the bias added
/// there, and the windows pooled there, where a pixel's channels are whole vectors, so a window is four vector loads and
/// three compares (no permutes). Only the pooled values and winners, a quarter of the output, are transposed into NCHW.
/// Why: the hypernetwork's second layer otherwise transposed its whole output into NCHW for a separate pool that read
/// it back, and whose backward read it again. Values and winners are those of the convolution then the pool (then the
/// ReLU, when asked), bit for bit.
/// </summary>
internal readonly struct DirectPooledForwardBody(ConvGeometry g, float[] x, int xo, float[] weights, float[]? bias, int bo, float[] pooled, int po, float[] code, int co, bool relu, int threads) : IRangeBody
{
    private const int Width = 16;

    public void Run(int start, int end)
    {
        int pq = g.P * g.Q, chw = g.C * g.H * g.W, windows = g.P / 2 * (g.Q / 2);
        var padded = ConvScratch<float>.Columns(g.C * (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW));
        var staged = ConvScratch<float>.Staging((pq + 2 * windows) * g.K);
        Span<int> taps = stackalloc int[g.R * g.S];
        DirectConvLayout.Taps(g, taps);
        for (var n = start; n < end; n++)
        {
            var output = staged.AsSpan(0, pq * g.K);
            var best = staged.AsSpan(pq * g.K, windows * g.K);
            var winners = staged.AsSpan((pq + windows) * g.K, windows * g.K);
            var next = DirectConvPlane.LikelyNext(n, threads, g.N);
            DirectForwardBody.Convolve(g, x.AsSpan(xo + n * chw, chw), padded, taps, weights, output, next < 0 ? default : x.AsSpan(xo + next * chw, chw));
            Pool(output, bias is null ? default : bias.AsSpan(bo, g.K), best, winners);
            DirectConvLayout.ToChannelsFirst(best, windows, g.K, default, pooled.AsSpan(po + n * g.K * windows, g.K * windows));
            DirectConvLayout.ToChannelsFirst(winners, windows, g.K, default, code.AsSpan(co + n * g.K * windows, g.K * windows));
        }
    }

    /// <summary>best[w, k], winners[w, k] of output [P·Q, K] + bias, window w = (i, j) over pixels (2i + a)·Q + 2j + b.</summary>
    private void Pool(ReadOnlySpan<float> output, ReadOnlySpan<float> bias, Span<float> best, Span<float> winners)
    {
        int half = g.Q / 2, k = g.K;
        ref var from = ref MemoryMarshal.GetReference(output);
        for (var i = 0; i < g.P / 2; i++)
        {
            for (var j = 0; j < half; j++)
            {
                ref var topLeft = ref Unsafe.Add(ref from, (2 * i * g.Q + 2 * j) * k);
                var at = (i * half + j) * k;
                for (var v = 0; v < k; v += Width)
                {
                    var b = bias.IsEmpty ? Vector512<float>.Zero : Vector512.Create(bias.Slice(v, Width));
                    var value = Vector512.LoadUnsafe(ref topLeft, (nuint)v) + b;
                    var index = Vector512<float>.Zero;
                    PoolArgmaxKernels.Take(Vector512.LoadUnsafe(ref topLeft, (nuint)(v + k)) + b, Vector512<float>.One, ref value, ref index);
                    PoolArgmaxKernels.Take(Vector512.LoadUnsafe(ref topLeft, (nuint)(v + g.Q * k)) + b, Vector512.Create(2f), ref value, ref index);
                    PoolArgmaxKernels.Take(Vector512.LoadUnsafe(ref topLeft, (nuint)(v + (g.Q + 1) * k)) + b, Vector512.Create(3f), ref value, ref index);
                    if (relu)
                    {
                        PoolArgmaxKernels.Rectify(ref value, ref index);
                    }

                    value.CopyTo(best.Slice(at + v, Width));
                    index.CopyTo(winners.Slice(at + v, Width));
                }
            }
        }
    }
}
