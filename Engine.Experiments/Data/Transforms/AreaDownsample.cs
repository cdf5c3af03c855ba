using System.Buffers;
using System.Numerics.Tensors;

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

        // Whole-row vector operations (TensorPrimitives) do the bulk of the work, so this stays fast
        // even in unoptimised Debug builds: rows first (weighted sums of input rows), then columns.
        var input = ArrayPool<float>.Shared.Rent(InHeight * InWidth);
        TensorPrimitives.ConvertChecked(source, input.AsSpan(0, source.Length));
        Span<float> rows = InWidth <= 4096 ? stackalloc float[InWidth] : new float[InWidth];
        for (var r = 0; r < OutHeight; r++)
        {
            var (first, w) = _rows[r];
            TensorPrimitives.Multiply(input.AsSpan(first * InWidth, InWidth), w[0], rows);
            for (var k = 1; k < w.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(input.AsSpan((first + k) * InWidth, InWidth), w[k], rows, rows);
            }

            var output = destination.Slice(r * OutWidth, OutWidth);
            for (var c = 0; c < OutWidth; c++)
            {
                var (start, wc) = _cols[c];
                output[c] = TensorPrimitives.Dot(rows.Slice(start, wc.Length), wc);
            }
        }

        ArrayPool<float>.Shared.Return(input);
        if (scale != 1f)
        {
            TensorPrimitives.Multiply(destination, scale, destination);
        }

        // Weights sum to 1, so only rounding can leave [0, 1].
        TensorPrimitives.Min(destination, 1f, destination);
        TensorPrimitives.Max(destination, 0f, destination);
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
