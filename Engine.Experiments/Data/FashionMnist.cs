using Engine.Experiments.Data.Integrity;

namespace Engine.Experiments.Data;

/// <summary>
/// Zalando's Fashion-MNIST: the same IDX layout and file names as MNIST, 60,000 / 10,000 grey
/// 28×28 images of 10 clothing classes, the garment bright on a dark background (as stored).
/// Installed on Debian/Ubuntu by the package dataset-fashion-mnist (scripts/install-datasets.sh)
/// into /usr/share/datasets/fashion-mnist, the last place <see cref="DataDirectory"/> searches.
/// spec/datasets.md §4: validation, when needed, is the last 10,000 of train.
/// </summary>
public static class FashionMnist
{
    public const int TrainCount = 60_000;
    public const int TestCount = 10_000;

    /// <summary>Zalando's label names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static DatasetInfo Info { get; } = new(
        "fashion-mnist",
        [Mnist.TrainImages, Mnist.TrainLabels, Mnist.TestImages, Mnist.TestLabels],
        "on Debian/Ubuntu run scripts/install-datasets.sh (apt-get install dataset-fashion-mnist, which fills /usr/share/datasets/fashion-mnist); "
        + "elsewhere run `Engine.Experiments datasets --download --data DIR` or fetch the four .gz files from github.com/zalandoresearch/fashion-mnist into DIR/fashion-mnist.",
        Checksums.FashionMnist,
        DownloadSources.FashionMnist);

    public static ImageDataset Load(string folder)
    {
        var train = IdxImages.LoadSplit(Info, folder, Mnist.TrainImages, Mnist.TrainLabels, TrainCount, Mnist.Rows, Mnist.Cols, 10);
        var test = IdxImages.LoadSplit(Info, folder, Mnist.TestImages, Mnist.TestLabels, TestCount, Mnist.Rows, Mnist.Cols, 10);
        return new ImageDataset("fashion-mnist", train, null, test, Mnist.Rows, Mnist.Cols, ClassNames, "grey, pixels ÷255; validation by convention the last 10,000 of train").Checked();
    }
}
