using Engine.Core;

namespace Engine.Experiments.Data.Sampling;

/// <summary>
/// Mini-batches of a dataset in a fresh random order each epoch. Epoch e's order is a permutation
/// drawn from the generator forked with e, so any epoch can be replayed (or resumed from a
/// checkpoint) from the seed alone, independent of what else was drawn.
/// </summary>
public sealed class ShuffledBatches
{
    private readonly Rng _rng;

    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/> (keeps every step the same size).</param>
    public ShuffledBatches(int count, int batchSize, Rng rng, bool dropLast = false)
    {
        if (count <= 0 || batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"ShuffledBatches: {count} items in batches of {batchSize}.");
        }

        (Count, BatchSize, DropLast, _rng) = (count, batchSize, dropLast, rng);
    }

    public int Count { get; }

    public int BatchSize { get; }

    public bool DropLast { get; }

    public int BatchesPerEpoch => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>The index batches of epoch <paramref name="epoch"/>: together a permutation of 0…Count−1 (minus the dropped tail).</summary>
    public IEnumerable<int[]> Epoch(int epoch)
    {
        var order = _rng.Fork((ulong)epoch).Permutation(Count);
        for (var b = 0; b < BatchesPerEpoch; b++)
        {
            var start = b * BatchSize;
            yield return order[start..Math.Min(Count, start + BatchSize)];
        }
    }

    /// <summary>Copies the chosen rows of <paramref name="images"/> into <paramref name="destination"/> (indices.Length × Dim).</summary>
    public static void Gather(ImageSet images, ReadOnlySpan<int> indices, Span<float> destination)
    {
        if (destination.Length != indices.Length * images.Dim)
        {
            throw new ArgumentException($"Gather: room for {destination.Length} values, {indices.Length} rows of {images.Dim} need {indices.Length * images.Dim}.");
        }

        for (var k = 0; k < indices.Length; k++)
        {
            images.Row(indices[k]).CopyTo(destination.Slice(k * images.Dim, images.Dim));
        }
    }

    /// <summary>The chosen rows as a new <see cref="ImageSet"/> (pixels and labels).</summary>
    public static ImageSet Subset(ImageSet images, IReadOnlyList<int> indices)
    {
        var pixels = new float[indices.Count * images.Dim];
        var labels = new byte[indices.Count];
        for (var k = 0; k < indices.Count; k++)
        {
            images.Row(indices[k]).CopyTo(pixels.AsSpan(k * images.Dim, images.Dim));
            labels[k] = images.Labels[indices[k]];
        }

        return new ImageSet(pixels, labels, images.Dim);
    }
}
