namespace Engine.Experiments.Data;

/// <summary>
/// Flattened images with labels: <see cref="Pixels"/> holds <see cref="Count"/> rows of
/// <see cref="Dim"/> intensities in [0, 1], row-major ([N, D]).
/// </summary>
public sealed class ImageSet
{
    public ImageSet(float[] pixels, byte[] labels, int dim)
    {
        if (dim <= 0 || pixels.Length % dim != 0 || pixels.Length / dim != labels.Length)
        {
            throw new ArgumentException($"ImageSet: {pixels.Length} pixels, {labels.Length} labels and {dim} pixels per image do not agree.");
        }

        Pixels = pixels;
        Labels = labels;
        Dim = dim;
    }

    public float[] Pixels { get; }

    public byte[] Labels { get; }

    public int Dim { get; }

    public int Count => Labels.Length;

    public ReadOnlySpan<float> Row(int index) => Pixels.AsSpan(index * Dim, Dim);

    /// <summary>A copy of images [start, start + count).</summary>
    public ImageSet Slice(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"ImageSet.Slice: [{start}, {start + count}) is outside 0…{Count}.");
        }

        return new ImageSet(Pixels.AsSpan(start * Dim, count * Dim).ToArray(), Labels.AsSpan(start, count).ToArray(), Dim);
    }

    /// <summary>The first <paramref name="count"/> images (all of them when count ≥ Count).</summary>
    public ImageSet Take(int count) => count >= Count ? this : Slice(0, count);
}
