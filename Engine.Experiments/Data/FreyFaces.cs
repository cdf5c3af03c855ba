using Engine.Core;
using Engine.Experiments.Data.Formats;
using Engine.Experiments.Data.Integrity;

namespace Engine.Experiments.Data;

/// <summary>
/// Roweis's Frey Faces (frey_rawface.mat: one uint8 variable 'ff', 560×1965): column j is image j,
/// 28 rows × 20 columns row-major, upright, a bright face on a darker background as photographed
/// (grey, not binary). Pixels become (v + 0.5)/256, the bin centres of the 256-bin discretised
/// logistic likelihood (spec/datasets.md §6). No official split: the VampPrior one, a shuffle with
/// a recorded seed then 1,565 train / 200 validation / 200 test. Unlabelled.
/// </summary>
public static class FreyFaces
{
    public const int Rows = 28;
    public const int Cols = 20;
    public const int Count = 1_965;
    public const int TrainCount = 1_565;
    public const int ValidationCount = 200;
    public const int TestCount = 200;
    public const ulong DefaultSplitSeed = 2;

    private const string FileName = "frey_rawface.mat";

    public static DatasetInfo Info { get; } = new(
        "frey_faces",
        [[FileName]],
        "copy shared/datasets/frey_faces (frey_rawface.mat as rebuilt there: its SHA-256 is the one recorded; Roweis's original download has other header bytes and is refused).",
        Checksums.FreyFaces);

    /// <summary>All 1,965 images in file order, (v + 0.5)/256.</summary>
    public static ImageSet LoadAll(string folder)
    {
        var path = Info.Require(folder, [FileName]);
        var ff = MatReader.Read(path).GetNumeric("ff", Rows * Cols, Count);
        if (ff.Class != MatClass.UInt8)
        {
            throw new InvalidDataException($"{path}: 'ff' should be uint8, found {ff.DescribeShape()}.");
        }

        var pixels = new float[ff.Real.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            // Column-major 560×1965: column j (image j) is contiguous, and within it the 560 bytes run row by row.
            pixels[i] = (float)((ff.Real[i] + 0.5) / 256.0);
        }

        return new ImageSet(pixels, new byte[Count], Rows * Cols);
    }

    public static ImageDataset Load(string folder, ulong splitSeed = DefaultSplitSeed)
    {
        var all = LoadAll(folder);
        var order = new Rng(splitSeed).Permutation(all.Count);
        return new ImageDataset(
            "frey_faces",
            Gather(all, order[..TrainCount]),
            Gather(all, order[TrainCount..(TrainCount + ValidationCount)]),
            Gather(all, order[(TrainCount + ValidationCount)..]),
            Rows,
            Cols,
            null,
            $"pixels (v + 0.5)/256; shuffled with seed {splitSeed}, then {TrainCount}/{ValidationCount}/{TestCount}").Checked();
    }

    private static ImageSet Gather(ImageSet all, int[] indices)
    {
        var pixels = new float[indices.Length * all.Dim];
        for (var k = 0; k < indices.Length; k++)
        {
            all.Row(indices[k]).CopyTo(pixels.AsSpan(k * all.Dim, all.Dim));
        }

        return new ImageSet(pixels, new byte[indices.Length], all.Dim);
    }
}
