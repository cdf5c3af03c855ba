namespace Engine.Experiments.Data.Transforms;

/// <summary>
/// Pillow's 8-bit bilinear resize (<c>Image.resize(size, BILINEAR)</c>, libImaging/Resample.c):
/// a separable convolution with the triangle filter, whose support widens by the scale factor when
/// shrinking (so downsampling averages, it does not alias). Each output sample at centre
/// (o + ½)·scale takes inputs ⌊centre ± support + ½⌋, weights normalised to sum 1 and converted to
/// fixed point with 22 fractional bits; the horizontal pass runs first and is rounded and clipped
/// to 8 bits before the vertical pass, as in Pillow.
/// </summary>
public static class PilBilinear
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static void Resize(ReadOnlySpan<byte> source, int inHeight, int inWidth, Span<byte> destination, int outHeight, int outWidth)
    {
        if (source.Length != inHeight * inWidth || destination.Length != outHeight * outWidth)
        {
            throw new ArgumentException($"PilBilinear.Resize: {source.Length} → {destination.Length} bytes for {inHeight}×{inWidth} → {outHeight}×{outWidth}.");
        }

        var (xBounds, xWeights, xSize) = Coefficients(inWidth, outWidth);
        var (yBounds, yWeights, ySize) = Coefficients(inHeight, outHeight);

        // Only the input rows some output row uses go through the horizontal pass.
        var firstRow = yBounds[0];
        var lastRow = yBounds[2 * (outHeight - 1)] + yBounds[2 * (outHeight - 1) + 1];
        var temp = new byte[(lastRow - firstRow) * outWidth];
        for (var y = firstRow; y < lastRow; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                int min = xBounds[2 * x], count = xBounds[2 * x + 1];
                var sum = 1 << (PrecisionBits - 1);
                for (var k = 0; k < count; k++)
                {
                    sum += source[y * inWidth + min + k] * xWeights[x * xSize + k];
                }

                temp[(y - firstRow) * outWidth + x] = Clip8(sum);
            }
        }

        for (var y = 0; y < outHeight; y++)
        {
            int min = yBounds[2 * y] - firstRow, count = yBounds[2 * y + 1];
            for (var x = 0; x < outWidth; x++)
            {
                var sum = 1 << (PrecisionBits - 1);
                for (var k = 0; k < count; k++)
                {
                    sum += temp[(min + k) * outWidth + x] * yWeights[y * ySize + k];
                }

                destination[y * outWidth + x] = Clip8(sum);
            }
        }
    }

    /// <summary>Pillow's precompute_coeffs + normalize_coeffs_8bpc for the bilinear filter (support 1) over the whole input.</summary>
    private static (int[] Bounds, int[] Weights, int KSize) Coefficients(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 1.0 * filterScale;
        var kSize = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new int[2 * outSize];
        var weights = new int[outSize * kSize];
        var k = new double[kSize];
        for (var o = 0; o < outSize; o++)
        {
            var centre = (o + 0.5) * scale;
            var min = Math.Max(0, (int)(centre - support + 0.5));
            var max = Math.Min(inSize, (int)(centre + support + 0.5)) - min;
            var total = 0.0;
            for (var x = 0; x < max; x++)
            {
                var w = Triangle((x + min - centre + 0.5) / filterScale);
                k[x] = w;
                total += w;
            }

            for (var x = 0; x < max; x++)
            {
                var w = total != 0 ? k[x] / total : k[x];
                weights[o * kSize + x] = w < 0 ? (int)(-0.5 + w * (1 << PrecisionBits)) : (int)(0.5 + w * (1 << PrecisionBits));
            }

            bounds[2 * o] = min;
            bounds[2 * o + 1] = max;
        }

        return (bounds, weights, kSize);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static byte Clip8(int v) => v >= 1 << PrecisionBits << 8 ? (byte)255 : v <= 0 ? (byte)0 : (byte)(v >> PrecisionBits);
}
