using Engine.Experiments.Data.Integrity;

namespace Engine.Experiments.Data;

/// <summary>
/// LeCun's MNIST from its four IDX files (gzipped or raw): 60,000 training and 10,000 test images
/// of 28×28, scaled from bytes to [0, 1] (÷255), with labels 0–9; ink is already bright on a dark
/// background. spec/datasets.md §1.
/// </summary>
public static class Mnist
{
    public const int Rows = 28;
    public const int Cols = 28;
    public const int Pixels = Rows * Cols;
    public const int TrainCount = 60_000;
    public const int TestCount = 10_000;

    /// <summary>
    /// Validation images taken from the end of the training file, the VampPrior "dynamic MNIST"
    /// protocol: train = first 50,000, validation = last 10,000, no shuffle before splitting.
    /// </summary>
    public const int ValidationCount = 10_000;

    internal static readonly string[] TrainImages = IdxImages.Names("train-images", "idx3");
    internal static readonly string[] TrainLabels = IdxImages.Names("train-labels", "idx1");
    internal static readonly string[] TestImages = IdxImages.Names("t10k-images", "idx3");
    internal static readonly string[] TestLabels = IdxImages.Names("t10k-labels", "idx1");

    public static IReadOnlyList<string> ClassNames { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    public static DatasetInfo Info { get; } = new(
        "mnist",
        [TrainImages, TrainLabels, TestImages, TestLabels],
        "download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz "
        + "from http://yann.lecun.com/exdb/mnist/ (or any mirror with the same MD5s, listed in shared/datasets/MANIFEST.md) into a folder named mnist, "
        + "or run `Engine.Experiments datasets --download --data DIR`.",
        Checksums.Mnist,
        DownloadSources.Mnist);

    /// <summary>Loads the train and test splits from <paramref name="folder"/> (as found by <see cref="DataDirectory"/>).</summary>
    public static (ImageSet Train, ImageSet Test) Load(string folder) =>
        (IdxImages.LoadSplit(Info, folder, TrainImages, TrainLabels, TrainCount, Rows, Cols, 10),
         IdxImages.LoadSplit(Info, folder, TestImages, TestLabels, TestCount, Rows, Cols, 10));

    /// <summary>The two files' splits as a dataset: train 60,000, no validation split, test 10,000 (grey).</summary>
    public static ImageDataset LoadDataset(string folder)
    {
        var (train, test) = Load(folder);
        return new ImageDataset("mnist", train, null, test, Rows, Cols, ClassNames, "grey MNIST, pixels ÷255; validation by convention the last 10,000 of train (Mnist.SplitValidation)").Checked();
    }

    /// <summary>Splits the 60,000 training images into (first 50,000, last 10,000) — see <see cref="ValidationCount"/>.</summary>
    public static (ImageSet Train, ImageSet Validation) SplitValidation(ImageSet train) =>
        (train.Slice(0, train.Count - ValidationCount), train.Slice(train.Count - ValidationCount, ValidationCount));
}
