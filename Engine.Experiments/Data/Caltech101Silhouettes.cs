using Engine.Experiments.Data.Formats;
using Engine.Experiments.Data.Integrity;

namespace Engine.Experiments.Data;

/// <summary>
/// Marlin's Caltech 101 Silhouettes at 28×28 (caltech101_silhouettes_28_split1.mat, a Level-5
/// MAT-file with compressed variables): 4,100 / 2,264 / 2,307 binary images of 101 classes. Each
/// stored row is an image in column-major order with 1 = background, so the loader transposes to
/// row-major and inverts (1 − x, as VampPrior does) to make the silhouette 1 on a 0 background.
/// Labels 1…101 in the file become 0…100; class names come from its 'classnames' cell array.
/// </summary>
public static class Caltech101Silhouettes
{
    public const int Side = 28;
    public const int Classes = 101;
    public const int TrainCount = 4_100;
    public const int ValidationCount = 2_264;
    public const int TestCount = 2_307;

    private const string FileName = "caltech101_silhouettes_28_split1.mat";

    public static DatasetInfo Info { get; } = new(
        "caltech101_silhouettes",
        [[FileName]],
        "copy shared/datasets/caltech101_silhouettes, or run `Engine.Experiments datasets --download --data DIR` (B. Marlin's caltech101_silhouettes_28_split1.mat).",
        Checksums.Caltech101Silhouettes,
        DownloadSources.Caltech101Silhouettes);

    public static ImageDataset Load(string folder)
    {
        var path = Info.Require(folder, [FileName]);
        var mat = MatReader.Read(path);
        var names = mat.Get("classnames");
        if (names.Class != MatClass.Cell || names.Cells.Count != Classes || names.Cells.Any(c => c.Text is null))
        {
            throw new InvalidDataException($"{path}: 'classnames' should be a cell array of {Classes} strings, found {names.DescribeShape()}.");
        }

        return new ImageDataset(
            "caltech101_silhouettes",
            Split(mat, "train", TrainCount),
            Split(mat, "val", ValidationCount),
            Split(mat, "test", TestCount),
            Side,
            Side,
            names.Cells.Select(c => c.Text!).ToArray(),
            "transposed from column-major and inverted (1 − x) so the silhouette is 1; file order (no shuffle)").Checked();
    }

    private static ImageSet Split(MatFile mat, string split, int count)
    {
        const int dim = Side * Side;
        var data = mat.GetNumeric($"{split}_data", count, dim).Real;
        var labels = mat.GetNumeric($"{split}_labels", count, 1).Real;
        var pixels = new float[count * dim];
        for (var i = 0; i < count; i++)
        {
            for (var r = 0; r < Side; r++)
            {
                for (var c = 0; c < Side; c++)
                {
                    // MATLAB stores the count×784 matrix column-major, and each 784-row is the image column-major.
                    var v = data[(long)(c * Side + r) * count + i];
                    if (v is not (0 or 1))
                    {
                        throw new InvalidDataException($"{mat.Path}: {split}_data({i + 1},{c * Side + r + 1}) is {v}, not 0 or 1.");
                    }

                    pixels[i * dim + r * Side + c] = 1f - (float)v;
                }
            }
        }

        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            if (labels[i] is < 1 or > Classes || labels[i] != Math.Floor(labels[i]))
            {
                throw new InvalidDataException($"{mat.Path}: {split}_labels({i + 1}) is {labels[i]}, expected an integer 1…{Classes}.");
            }

            bytes[i] = (byte)(labels[i] - 1);
        }

        return new ImageSet(pixels, bytes, dim);
    }
}
