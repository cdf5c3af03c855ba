namespace Engine.Experiments.Data;

/// <summary>
/// A dataset with its standard splits, every image normalised the same way: row-major, upright,
/// the object bright (near 1) on a dark (near 0) background, intensities in [0, 1].
/// </summary>
/// <param name="Name">Catalogue name ("mnist", "caltech101_silhouettes", …).</param>
/// <param name="Validation">Null when the dataset has no standard validation split (take one from the end of Train).</param>
/// <param name="ClassNames">Label l names ClassNames[l]; null when the images are unlabelled (labels are then all 0).</param>
/// <param name="Notes">How this version was made, for results files (binarisation, our downsampling, split seed…).</param>
public sealed record ImageDataset(
    string Name,
    ImageSet Train,
    ImageSet? Validation,
    ImageSet Test,
    int Height,
    int Width,
    IReadOnlyList<string>? ClassNames,
    string Notes)
{
    public bool IsLabelled => ClassNames is not null;

    public int Dim => Height * Width;

    /// <summary>The splits that exist, with their names, in the order train, validation, test.</summary>
    public IEnumerable<(string Name, ImageSet Images)> Splits()
    {
        yield return ("train", Train);
        if (Validation is not null)
        {
            yield return ("validation", Validation);
        }

        yield return ("test", Test);
    }

    /// <summary>Checks the invariants every loader promises; throws naming the dataset.</summary>
    public ImageDataset Checked()
    {
        foreach (var (split, images) in Splits())
        {
            if (images.Dim != Dim)
            {
                throw new InvalidDataException($"dataset '{Name}': {split} images have {images.Dim} pixels, expected {Height}×{Width}.");
            }

            if (ClassNames is { } names && images.Labels.Any(l => l >= names.Count))
            {
                throw new InvalidDataException($"dataset '{Name}': a {split} label is outside 0…{names.Count - 1}.");
            }
        }

        return this;
    }
}
