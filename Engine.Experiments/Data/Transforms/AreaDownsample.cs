namespace Engine.Experiments.Data.Transforms;

/// <summary>
/// Area-averaging resize (a box filter with exact fractional coverage, like OpenCV's INTER_AREA or
/// PIL's BOX): output pixel (r, c) is the mean of the input over the square
/// [r·s, (r+1)·s) × [c·s, (c+1)·s) in input pixel units, s = input/output, each input pixel
/// weighted by the fraction of it that square covers. Separable, so it precomputes one weight
/// list per output row/column. Used for Omniglot 105×105 → 28×28 (s = 3.75).
/// </summary>
public sealed class AreaDownsample
{
    private readonly (int First, float[] Weights)[] _rows;
    private readonly (int First, float[] Weights)[] _cols;

    public AreaDownsample(int inHeight, int inWidth, int outHeight, int outWidth)
    {
        if (outHeight <= 0 || outWidth <= 0 || outHeight > inHeight || outWidth > inWidth)
        {
            throw new ArgumentException($"AreaDownsample: {inHeight}×{inWidth} → {outHeight}×{outWidth} is not a downsampling.");
        }

        (InHeight, InWidth, OutHeight, OutWidth) = (inHeight, inWidth, outHeight, outWidth);
        _rows = Weights(inHeight, outHeight);
        _cols = Weights(inWidth, outWidth);
    }

    public int InHeight { get; }

    public int InWidth { get; }

    public int OutHeight { get; }

    public int OutWidth { get; }

    /// <summary>Resizes one image of bytes scaled by <paramref name="scale"/> (e.g. 1 for 0/1 strokes) into <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<byte> source, Span<float> destination, float scale = 1f)
    {
        if (source.Length != InHeight * InWidth || destination.Length != OutHeight * OutWidth)
        {
            throw new ArgumentException($"AreaDownsample.Apply: expected {InHeight * InWidth} → {OutHeight * OutWidth} values, got {source.Length} → {destination.Length}.");
        }

        // Columns first: each input row becomes OutWidth values; then rows combine those.
        var size = InHeight * OutWidth;
        Span<float> partial = size <= 1 << 14 ? stackalloc float[size] : new float[size];
        for (var r = 0; r < InHeight; r++)
        {
            var row = source.Slice(r * InWidth, InWidth);
            for (var c = 0; c < OutWidth; c++)
            {
                var (first, w) = _cols[c];
                var sum = 0f;
                for (var k = 0; k < w.Length; k++)
                {
                    sum += w[k] * row[first + k];
                }

                partial[r * OutWidth + c] = sum;
            }
        }

        for (var r = 0; r < OutHeight; r++)
        {
            var (first, w) = _rows[r];
            for (var c = 0; c < OutWidth; c++)
            {
                var sum = 0f;
                for (var k = 0; k < w.Length; k++)
                {
                    sum += w[k] * partial[(first + k) * OutWidth + c];
                }

                destination[r * OutWidth + c] = Math.Clamp(sum * scale, 0f, 1f);
            }
        }
    }

    /// <summary>For each output index, the first input index it overlaps and the normalised overlap of each input it touches.</summary>
    private static (int, float[])[] Weights(int inSize, int outSize)
    {
        var s = (double)inSize / outSize;
        var result = new (int, float[])[outSize];
        for (var o = 0; o < outSize; o++)
        {
            double lo = o * s, hi = (o + 1) * s;
            var first = (int)Math.Floor(lo);
            var last = Math.Min(inSize - 1, (int)Math.Ceiling(hi) - 1);
            var w = new float[last - first + 1];
            for (var i = first; i <= last; i++)
            {
                w[i - first] = (float)((Math.Min(hi, i + 1) - Math.Max(lo, i)) / s);
            }

            result[o] = (first, w);
        }

        return result;
    }
}
