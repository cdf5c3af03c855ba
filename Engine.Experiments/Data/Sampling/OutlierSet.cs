namespace Engine.Experiments.Data.Sampling;

/// <summary>An outlier-detection evaluation set: the images (normal ones first), which are outliers, and where each outlier came from in its source set.</summary>
public sealed record OutlierSet(ImageSet Images, bool[] IsOutlier, int[] OutlierSourceIndices)
{
    public int NormalCount => IsOutlier.Count(o => !o);

    public int OutlierCount => OutlierSourceIndices.Length;
}
