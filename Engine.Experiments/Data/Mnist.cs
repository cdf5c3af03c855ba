namespace Engine.Experiments.Data;

/// <summary>
/// LeCun's MNIST from its four IDX files (gzipped or raw): 60,000 training and 10,000 test images
/// of 28×28, scaled from bytes to [0, 1] (÷255), with labels 0–9. spec/datasets.md §1.
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

    private static readonly string[] TrainImages = Names("train-images", "idx3");
    private static readonly string[] TrainLabels = Names("train-labels", "idx1");
    private static readonly string[] TestImages = Names("t10k-images", "idx3");
    private static readonly string[] TestLabels = Names("t10k-labels", "idx1");

    public static DatasetInfo Info { get; } = new(
        "mnist",
        [TrainImages, TrainLabels, TestImages, TestLabels],
        "download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz "
        + "from http://yann.lecun.com/exdb/mnist/ (or any mirror with the same MD5s, listed in shared/datasets/MANIFEST.md) into a folder named mnist.");

    /// <summary>Loads the train and test splits from <paramref name="folder"/> (as found by <see cref="DataDirectory"/>).</summary>
    public static (ImageSet Train, ImageSet Test) Load(string folder) =>
        (LoadSplit(folder, TrainImages, TrainLabels, TrainCount), LoadSplit(folder, TestImages, TestLabels, TestCount));

    /// <summary>Splits the 60,000 training images into (first 50,000, last 10,000) — see <see cref="ValidationCount"/>.</summary>
    public static (ImageSet Train, ImageSet Validation) SplitValidation(ImageSet train) =>
        (train.Slice(0, train.Count - ValidationCount), train.Slice(train.Count - ValidationCount, ValidationCount));

    private static ImageSet LoadSplit(string folder, string[] imageNames, string[] labelNames, int expected)
    {
        var imagePath = Locate(folder, imageNames);
        var labelPath = Locate(folder, labelNames);
        var images = IdxReader.Read(imagePath);
        var labels = IdxReader.Read(labelPath);
        if (images.Dims.Length != 3 || images.Dims[1] != Rows || images.Dims[2] != Cols || images.Count != expected)
        {
            throw new InvalidDataException($"{imagePath}: expected {expected}×{Rows}×{Cols} images, found {string.Join("×", images.Dims)}.");
        }

        if (labels.Dims.Length != 1 || labels.Count != expected)
        {
            throw new InvalidDataException($"{labelPath}: expected {expected} labels, found {string.Join("×", labels.Dims)}.");
        }

        var pixels = new float[images.Data.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = images.Data[i] / 255f;
        }

        return new ImageSet(pixels, labels.Data, Pixels);
    }

    private static string Locate(string folder, string[] names) =>
        DatasetInfo.Locate(folder, names) ?? throw new DatasetNotFoundException($"dataset 'mnist': none of {string.Join(", ", names)} is in {folder}.");

    /// <summary>Accepted file names: the canonical gzipped one, then raw with '-' or '.' before idxN.</summary>
    private static string[] Names(string stem, string idx) =>
        [$"{stem}-{idx}-ubyte.gz", $"{stem}-{idx}-ubyte", $"{stem}.{idx}-ubyte"];
}
