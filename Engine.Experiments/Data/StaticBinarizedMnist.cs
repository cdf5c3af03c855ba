using Engine.Experiments.Data.Formats;
using Engine.Experiments.Data.Integrity;

namespace Engine.Experiments.Data;

/// <summary>
/// Larochelle &amp; Murray's statically binarised MNIST (spec/datasets.md §2): three .amat text
/// files of 50,000 / 10,000 / 10,000 rows of 784 zeros and ones, row-major, ink = 1. No labels —
/// the files are not in grey MNIST's order — so <see cref="ImageDataset.ClassNames"/> is null and
/// every label is 0 (use <see cref="LabelledBinarizedMnist"/> when labels are needed). The test
/// file is sorted by digit: evaluate on all of it or on a strided subset, never on a prefix.
/// </summary>
public static class StaticBinarizedMnist
{
    public const int TrainCount = 50_000;
    public const int ValidationCount = 10_000;
    public const int TestCount = 10_000;

    private static readonly string[] TrainFile = Names("train");
    private static readonly string[] ValidationFile = Names("valid");
    private static readonly string[] TestFile = Names("test");

    public static DatasetInfo Info { get; } = new(
        "binarized_mnist",
        [TrainFile, ValidationFile, TestFile],
        "copy shared/datasets/binarized_mnist (the .amat.gz files), or run `Engine.Experiments datasets --download --data DIR` "
        + "to fetch Larochelle's original binarized_mnist_{train,valid,test}.amat.",
        Checksums.BinarizedMnist,
        DownloadSources.BinarizedMnist);

    public static ImageDataset Load(string folder) => new ImageDataset(
        "binarized_mnist",
        LoadSplit(folder, TrainFile, TrainCount),
        LoadSplit(folder, ValidationFile, ValidationCount),
        LoadSplit(folder, TestFile, TestCount),
        Mnist.Rows,
        Mnist.Cols,
        null,
        "Larochelle & Murray static binarisation; unlabelled; test file sorted by digit").Checked();

    private static ImageSet LoadSplit(string folder, string[] names, int expected)
    {
        var path = Info.Require(folder, names);
        var matrix = AmatReader.Read(path, Mnist.Pixels);
        if (matrix.Rows != expected)
        {
            throw new InvalidDataException($"{path}: expected {expected} rows of {Mnist.Pixels} values, found {matrix.Rows}.");
        }

        var bad = Array.FindIndex(matrix.Values, v => v is not (0f or 1f));
        if (bad >= 0)
        {
            throw new InvalidDataException($"{path}: value {matrix.Values[bad]} on line {bad / Mnist.Pixels + 1} is not 0 or 1.");
        }

        return new ImageSet(matrix.Values, new byte[expected], Mnist.Pixels);
    }

    private static string[] Names(string split) => [$"binarized_mnist_{split}.amat.gz", $"binarized_mnist_{split}.amat"];
}
