using Engine.Core;

namespace Engine.Experiments.Data.Sampling;

/// <summary>
/// HyperVAE's outlier-detection evaluation sets (hypervae.md §7, spec/datasets.md §10): the
/// normal dataset's whole test set plus outliers drawn once, without replacement and from a fixed
/// seed, from another dataset, so that outliers make up <c>fraction</c> of the set (20 %:
/// N_out = N_normal / 4). Outliers keep their own labels; <see cref="OutlierSet.IsOutlier"/> tells
/// them apart.
/// </summary>
public static class OutlierMixture
{
    public const double DefaultFraction = 0.2;

    public static OutlierSet Build(ImageSet normal, ImageSet outliers, Rng rng, double fraction = DefaultFraction)
    {
        if (normal.Dim != outliers.Dim)
        {
            throw new ArgumentException($"OutlierMixture: normal images have {normal.Dim} pixels, outliers {outliers.Dim}; resize one first.");
        }

        if (fraction is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), $"OutlierMixture: fraction {fraction} must be in (0, 1).");
        }

        var wanted = (int)Math.Round(normal.Count * fraction / (1 - fraction));
        if (wanted > outliers.Count)
        {
            throw new ArgumentException($"OutlierMixture: {wanted} outliers needed, the outlier set has {outliers.Count}.");
        }

        var chosen = rng.Permutation(outliers.Count)[..wanted];
        var pixels = new float[(normal.Count + wanted) * normal.Dim];
        normal.Pixels.CopyTo(pixels, 0);
        var labels = new byte[normal.Count + wanted];
        normal.Labels.CopyTo(labels, 0);
        for (var k = 0; k < wanted; k++)
        {
            outliers.Row(chosen[k]).CopyTo(pixels.AsSpan((normal.Count + k) * normal.Dim, normal.Dim));
            labels[normal.Count + k] = outliers.Labels[chosen[k]];
        }

        var isOutlier = new bool[normal.Count + wanted];
        Array.Fill(isOutlier, true, normal.Count, wanted);
        return new OutlierSet(new ImageSet(pixels, labels, normal.Dim), isOutlier, chosen);
    }
}
