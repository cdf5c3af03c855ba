namespace Engine.Kernels;

/// <summary>
/// Shapes of a 2-D convolution in NCHW: input [N, C, H, W], weight [K, C, R, S], output
/// [N, K, P, Q] with P = (H + 2·pad − R)/stride + 1. A transposed convolution with the same weight is
/// this convolution's data gradient, so it is described by the geometry of the convolution it undoes.
/// </summary>
public readonly record struct ConvGeometry(
    int N, int C, int H, int W, int K, int R, int S, int StrideH, int StrideW, int PadH, int PadW, int P, int Q)
{
    public int InputLength => N * C * H * W;

    public int WeightLength => K * C * R * S;

    public int OutputLength => N * K * P * Q;

    /// <summary>Nominal FLOPs of the forward pass: 2 per multiply-add of every tap, padding included.</summary>
    public long Flops => 2L * N * K * P * Q * C * R * S;

    public static ConvGeometry ForConv(int n, int c, int h, int w, int k, int r, int s, int stride, int pad)
    {
        var p = (h + 2 * pad - r) / stride + 1;
        var q = (w + 2 * pad - s) / stride + 1;
        return new ConvGeometry(n, c, h, w, k, r, s, stride, stride, pad, pad, p, q);
    }
}
