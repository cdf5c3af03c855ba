using Engine.Core;

namespace Engine.Experiments.Data;

/// <summary>
/// Our own static binarisation of grey MNIST, for every use that needs labels (HyperVAE tasks,
/// held-out digits, outlier sets; spec/datasets.md §2): one Bernoulli(pixel) sample per image,
/// drawn once from a recorded seed, split like Larochelle's files — train = first 50,000 of the
/// training file, validation = its last 10,000, test = the 10,000 test images. Each split has its
/// own stream (seed forked 1, 2, 3), so the result does not depend on how it is computed.
/// </summary>
public static class LabelledBinarizedMnist
{
    /// <summary>The recorded default seed (any other seed gives an equally valid, different binarisation).</summary>
    public const ulong DefaultSeed = 2011;

    public static DatasetInfo Info => Mnist.Info;

    public static ImageDataset Load(string folder, ulong seed = DefaultSeed)
    {
        var (train, test) = Mnist.Load(folder);
        return FromGrey(train, test, seed);
    }

    /// <summary>Binarises already-loaded grey MNIST (60,000 train, 10,000 test).</summary>
    public static ImageDataset FromGrey(ImageSet train, ImageSet test, ulong seed = DefaultSeed)
    {
        var (head, validation) = Mnist.SplitValidation(train);
        var rng = new Rng(seed);
        return new ImageDataset(
            "mnist-binarized-seeded",
            Binarize(head, rng.Fork(1)),
            Binarize(validation, rng.Fork(2)),
            Binarize(test, rng.Fork(3)),
            Mnist.Rows,
            Mnist.Cols,
            Mnist.ClassNames,
            $"one Bernoulli(pixel) sample per grey MNIST image, seed {seed}; train/validation = first 50,000/last 10,000 of the training file").Checked();
    }

    private static ImageSet Binarize(ImageSet grey, Rng rng) => new(Binarization.SampleOnce(grey, rng), grey.Labels, grey.Dim);
}
