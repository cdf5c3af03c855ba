using Engine.Core;

namespace Engine.Experiments.Data;

/// <summary>
/// Dynamically binarised MNIST, the VampPrior protocol (spec/datasets.md §1): training images stay
/// grey and are resampled as Bernoulli(pixel) every time they enter a batch (<see cref="SampleBatch"/>);
/// validation (last 10,000 of train) and test are each sampled once from a fixed seed (VampPrior
/// uses 777) so every model is scored on the same binary images.
/// </summary>
public static class DynamicBinarizedMnist
{
    public const ulong DefaultEvaluationSeed = 777;

    public static DatasetInfo Info => Mnist.Info;

    public static ImageDataset Load(string folder, ulong evaluationSeed = DefaultEvaluationSeed)
    {
        var (train, test) = Mnist.Load(folder);
        return FromGrey(train, test, evaluationSeed);
    }

    /// <summary>Train = first 50,000 grey (to be sampled per batch); validation and test binarised once with forks 1 and 2 of the seed.</summary>
    public static ImageDataset FromGrey(ImageSet train, ImageSet test, ulong evaluationSeed = DefaultEvaluationSeed)
    {
        var (head, validation) = Mnist.SplitValidation(train);
        var rng = new Rng(evaluationSeed);
        return new ImageDataset(
            "mnist-dynamic",
            head,
            new ImageSet(Binarization.SampleOnce(validation, rng.Fork(1)), validation.Labels, validation.Dim),
            new ImageSet(Binarization.SampleOnce(test, rng.Fork(2)), test.Labels, test.Dim),
            Mnist.Rows,
            Mnist.Cols,
            Mnist.ClassNames,
            $"train grey, binarised afresh per batch; validation/test binarised once with seed {evaluationSeed}").Checked();
    }

    /// <summary>A fresh binary sample of a batch of grey training images (use a generator forked per epoch or step).</summary>
    public static void SampleBatch(ReadOnlySpan<float> grey, Span<float> destination, Rng rng) => Binarization.Sample(grey, destination, rng);
}
