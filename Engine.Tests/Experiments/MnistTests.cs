using Engine.Experiments.Data;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class MnistTests
{
    private static string FolderOrIgnore() =>
        DataDirectory.FromEnvironment(null).TryFind(Mnist.Info)
        ?? throw new IgnoreException("MNIST not found (../shared/datasets/mnist beside the repository, ENGINE_DATA or /usr/share/datasets); nothing to check.");

    [Test]
    public void Load_SharedCopy_HasTheCanonicalSizesAndLabelCounts()
    {
        var (train, test) = Mnist.Load(FolderOrIgnore());

        Assert.That(train.Count, Is.EqualTo(60_000));
        Assert.That(test.Count, Is.EqualTo(10_000));
        Assert.That(train.Dim, Is.EqualTo(784));
        Assert.That(train.Labels.Count(l => l == 0), Is.EqualTo(5923), "MANIFEST.md train histogram");
        Assert.That(test.Labels.Count(l => l == 1), Is.EqualTo(1135), "MANIFEST.md test histogram");
        Assert.That(train.Pixels.Min(), Is.EqualTo(0f));
        Assert.That(train.Pixels.Max(), Is.EqualTo(1f));
    }

    [Test]
    public void SplitValidation_TakesTheLast10000TrainingImages()
    {
        var (train, _) = Mnist.Load(FolderOrIgnore());

        var (head, validation) = Mnist.SplitValidation(train);

        Assert.That(head.Count, Is.EqualTo(50_000));
        Assert.That(validation.Count, Is.EqualTo(10_000));
        Assert.That(validation.Row(0).ToArray(), Is.EqualTo(train.Row(50_000).ToArray()));
        Assert.That(validation.Labels, Is.EqualTo(train.Labels[50_000..]));
    }
}
