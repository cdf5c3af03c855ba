using System.Numerics.Tensors;

namespace Engine.Experiments.Data;

/// <summary>
/// One split of an MNIST-layout dataset (MNIST, Fashion-MNIST): an IDX image file of N×rows×cols
/// bytes (0 = background, 255 = ink) and an IDX label file of N bytes, read into an
/// <see cref="ImageSet"/> scaled by 1/255. Counts and sizes are checked against what the dataset
/// promises, naming the file on a mismatch.
/// </summary>
internal static class IdxImages
{
    public static ImageSet LoadSplit(DatasetInfo dataset, string folder, string[] imageNames, string[] labelNames, int expected, int rows, int cols, int classes)
    {
        var imagePath = dataset.Require(folder, imageNames);
        var labelPath = dataset.Require(folder, labelNames);
        var images = IdxReader.Read(imagePath);
        var labels = IdxReader.Read(labelPath);
        if (images.Dims.Length != 3 || images.Dims[1] != rows || images.Dims[2] != cols || images.Count != expected)
        {
            throw new InvalidDataException($"{imagePath}: expected {expected}×{rows}×{cols} images, found {string.Join("×", images.Dims)}.");
        }

        if (labels.Dims.Length != 1 || labels.Count != expected)
        {
            throw new InvalidDataException($"{labelPath}: expected {expected} labels, found {string.Join("×", labels.Dims)}.");
        }

        var bad = Array.FindIndex(labels.Data, l => l >= classes);
        if (bad >= 0)
        {
            throw new InvalidDataException($"{labelPath}: label {labels.Data[bad]} at item {bad} is outside 0…{classes - 1}.");
        }

        // Exact division by 255 (not a multiply by 1/255, which could miss 1.0 by an ulp), vectorised.
        var pixels = new float[images.Data.Length];
        TensorPrimitives.ConvertChecked(images.Data.AsSpan(), pixels.AsSpan());
        TensorPrimitives.Divide(pixels, 255f, pixels);

        return new ImageSet(pixels, labels.Data, rows * cols);
    }

    /// <summary>Accepted file names: the canonical gzipped one, then raw with '-' or '.' before idxN.</summary>
    public static string[] Names(string stem, string idx) =>
        [$"{stem}-{idx}-ubyte.gz", $"{stem}-{idx}-ubyte", $"{stem}.{idx}-ubyte"];
}
