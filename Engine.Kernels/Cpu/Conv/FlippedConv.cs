using System.Numerics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The data gradient of a stride-1 convolution as a forward convolution of dy: dx[n, c, h, w] =
/// Σ_{k,r,s} dy[n, k, h + pad − r, w + pad − s]·w[k, c, r, s] is a convolution of dy (K channels) with
/// the flipped, channel-swapped weights w'[c, k, r', s'] = w[k, c, R−1−r', S−1−s'] and padding R−1−pad.
/// Why: im2col + GEMM + col2im materialises C·R·S columns per pixel, runs a GEMM whose inner size is
/// only K, and scatters every column entry back; the forward form im2cols K·R·S rows of dy instead,
/// runs a GEMM with inner size K·R·S, and writes dx directly with no col2im (the hypernetwork's 32→16
/// 5×5 layer: inner size 400 instead of 16, half the columns, no scatter). Used only when K ≤ C, so
/// its columns are never more than the im2col route's. The sums run in another order than col2im's,
/// so results differ from that route by rounding only.
/// </summary>
internal static class FlippedConv
{
    public static bool Applies(ConvGeometry g) =>
        g.StrideH == 1 && g.StrideW == 1 && g.K <= g.C
        && g.PadH <= g.R - 1 && g.PadW <= g.S - 1
        && g.P == g.H + 2 * g.PadH - g.R + 1 && g.Q == g.W + 2 * g.PadW - g.S + 1;

    /// <summary>The forward geometry whose output is dx: input dy [N, K, P, Q], weights [C, K, R, S], output [N, C, H, W].</summary>
    public static ConvGeometry Geometry(ConvGeometry g) =>
        new(g.N, g.K, g.P, g.Q, g.C, g.R, g.S, 1, 1, g.R - 1 - g.PadH, g.S - 1 - g.PadW, g.H, g.W);

    /// <summary>flipped[c, k, r', s'] = w[k, c, R−1−r', S−1−s'].</summary>
    public static void FlipWeights<T>(ConvGeometry g, ReadOnlySpan<T> w, Span<T> flipped) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rs = g.R * g.S;
        for (var k = 0; k < g.K; k++)
        {
            for (var c = 0; c < g.C; c++)
            {
                var from = w.Slice((k * g.C + c) * rs, rs);
                var to = flipped.Slice((c * g.K + k) * rs, rs);
                for (var i = 0; i < rs; i++)
                {
                    to[rs - 1 - i] = from[i]; // (r, s) → (R−1−r, S−1−s) is the reversal of the row-major tap index
                }
            }
        }
    }
}
