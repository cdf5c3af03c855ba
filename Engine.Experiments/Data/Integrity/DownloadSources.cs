namespace Engine.Experiments.Data.Integrity;

/// <summary>
/// Public URLs of the dataset files, each with the SHA-256 and size the download must have
/// (tensorflow/datasets url_checksums lists for MNIST, Fashion-MNIST and binarised MNIST; the
/// shared MANIFEST for the rest). Frey Faces and the Omniglot character table have no source
/// whose bytes match our recorded checksums, so they are not downloadable.
/// </summary>
public static class DownloadSources
{
    private const string MnistMirror = "https://storage.googleapis.com/cvdf-datasets/mnist/";
    private const string FashionMirror = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";
    private const string LarochelleMirror = "http://www.cs.toronto.edu/~larocheh/public/datasets/binarized_mnist/";
    private const string OmniglotNpz = "https://raw.githubusercontent.com/bitsandscraps/omniglot/b0481240b7eb42393285a93ce7d2f266ff10c62b/";

    public static IReadOnlyList<RemoteFile> Mnist { get; } =
    [
        new("train-images-idx3-ubyte.gz", MnistMirror + "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", 9_912_422),
        new("train-labels-idx1-ubyte.gz", MnistMirror + "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", 28_881),
        new("t10k-images-idx3-ubyte.gz", MnistMirror + "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", 1_648_877),
        new("t10k-labels-idx1-ubyte.gz", MnistMirror + "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", 4_542),
    ];

    public static IReadOnlyList<RemoteFile> FashionMnist { get; } =
    [
        new("train-images-idx3-ubyte.gz", FashionMirror + "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26_421_880),
        new("train-labels-idx1-ubyte.gz", FashionMirror + "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29_515),
        new("t10k-images-idx3-ubyte.gz", FashionMirror + "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4_422_102),
        new("t10k-labels-idx1-ubyte.gz", FashionMirror + "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5_148),
    ];

    public static IReadOnlyList<RemoteFile> BinarizedMnist { get; } =
    [
        new("binarized_mnist_train.amat", LarochelleMirror + "binarized_mnist_train.amat", "ad693b29f94c14277b095f5238ddefbbdaaae0939789dd2f4f0205278cee3e4d", 78_400_000),
        new("binarized_mnist_valid.amat", LarochelleMirror + "binarized_mnist_valid.amat", "1de3d397c40fe8eeb33dafd4099a1f665ec01e96d9be234aaeeac8a34930e2e2", 15_680_000),
        new("binarized_mnist_test.amat", LarochelleMirror + "binarized_mnist_test.amat", "e6687bfea3f820c174f33b7865140b2a2dd2930ef786f35d45795fc193b5ab2c", 15_680_000),
    ];

    public static IReadOnlyList<RemoteFile> Omniglot { get; } =
    [
        new("images_background.npz", OmniglotNpz + "images_background.npz", "8bf84167413cd00beacdce3fe582f780ab538d8dbef043a6d688f2527bbce199", 3_340_794),
        new("images_evaluation.npz", OmniglotNpz + "images_evaluation.npz", "0b84c7ffd94c4841c0040e529c86a82eaaccb986d8eadad5673f7991b7475276", 2_415_269),
    ];

    public static IReadOnlyList<RemoteFile> Caltech101Silhouettes { get; } =
    [
        new("caltech101_silhouettes_28_split1.mat", "https://people.cs.umass.edu/~marlin/data/caltech101_silhouettes_28_split1.mat", "eb6735e8d84b1850fabc5590124aab1755e90c9fd28123585324398405e1e42a", 872_124),
    ];
}
