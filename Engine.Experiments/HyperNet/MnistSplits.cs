using Engine.Experiments.Data;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// MNIST as the reference's TF reader splits it: validation = the first 5,000 training images,
/// train = the other 55,000, test = the 10,000 test images.
/// </summary>
public sealed record MnistSplits(ImageSet Train, ImageSet Validation, ImageSet Test)
{
    public const int ValidationCount = 5_000;

    public static MnistSplits Load(RunContext context, ExperimentResult result)
    {
        var folder = context.Data.Find(Mnist.Info);
        result.Data[Mnist.Info.Name] = folder;
        var (train, test) = Mnist.Load(folder);
        return new MnistSplits(train.Slice(ValidationCount, train.Count - ValidationCount), train.Slice(0, ValidationCount), test);
    }
}
