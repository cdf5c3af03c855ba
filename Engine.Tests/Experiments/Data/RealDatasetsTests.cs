using Engine.Experiments.Data;
using Engine.Experiments.Data.Integrity;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

/// <summary>
/// Every real dataset from the shared copy (../shared/datasets beside the repository, ENGINE_DATA or
/// /usr/share/datasets): checksums verified, counts, label histograms, value ranges and polarity
/// (object bright, background dark: the image border is mostly dark). Each test is ignored, with
/// the reason, when its dataset is not installed.
/// </summary>
[NonParallelizable]
public class RealDatasetsTests
{
    private static readonly Lazy<DataDirectory> Resolver = new(() => new DataDirectory(
        null,
        Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable),
        [AppContext.BaseDirectory, Directory.GetCurrentDirectory()],
        verifier: new DatasetVerifier(new ChecksumCache(null))));

    private static readonly Lazy<(ImageSet Train, ImageSet Test)> MnistFiles = new(() => Mnist.Load(Verified(Mnist.Info)));

    /// <summary>The dataset's folder with its checksums verified, or the test is ignored saying where it looked.</summary>
    private static string Verified(DatasetInfo info)
    {
        if (Resolver.Value.TryFind(info) is null)
        {
            Assert.Ignore($"dataset '{info.Name}' is not installed here ({string.Join(", ", Resolver.Value.Roots.Select(r => r.Path))}); nothing to check. {info.HowToObtain}");
        }

        return Resolver.Value.Find(info); // throws on a checksum mismatch
    }

    private static int[] Histogram(IEnumerable<byte> labels, int classes)
    {
        var counts = new int[classes];
        foreach (var l in labels)
        {
            counts[l]++;
        }

        return counts;
    }

    /// <summary>Mean of the pixels on the one-pixel frame of every image.</summary>
    private static double BorderMean(ImageSet images, int height, int width)
    {
        double sum = 0;
        long n = 0;
        for (var i = 0; i < images.Count; i++)
        {
            var row = images.Row(i);
            for (var p = 0; p < row.Length; p++)
            {
                int r = p / width, c = p % width;
                if (r == 0 || c == 0 || r == height - 1 || c == width - 1)
                {
                    sum += row[p];
                    n++;
                }
            }
        }

        return sum / n;
    }

    [Test]
    public void Mnist_CountsHistogramsRangePolarity()
    {
        var (train, test) = MnistFiles.Value;

        Assert.That(Histogram(train.Labels, 10), Is.EqualTo(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }));
        Assert.That(Histogram(test.Labels, 10), Is.EqualTo(new[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }));
        Assert.That((train.Pixels.Min(), train.Pixels.Max()), Is.EqualTo((0f, 1f)));
        Assert.That(BorderMean(test, 28, 28), Is.LessThan(0.01), "ink bright on a black background");
    }

    [Test]
    public void BinarizedMnistVariants_AreBinary_KeepLabels_MatchTheGreyMean()
    {
        var (train, test) = MnistFiles.Value;
        var trainPart = train.Slice(0, 10_600);
        var testPart = test.Take(600);

        var labelled = LabelledBinarizedMnist.FromGrey(trainPart, testPart);
        var dynamic = DynamicBinarizedMnist.FromGrey(trainPart, testPart);

        Assert.That((labelled.Train.Count, labelled.Validation!.Count, labelled.Test.Count), Is.EqualTo((600, 10_000, 600)));
        Assert.That(labelled.Test.Labels, Is.EqualTo(testPart.Labels));
        Assert.That(labelled.Validation.Pixels.All(v => v is 0f or 1f));
        Assert.That(labelled.Validation.Pixels.Average(), Is.EqualTo(trainPart.Slice(600, 10_000).Pixels.Average()).Within(0.003));
        Assert.That(dynamic.Train.Pixels, Is.EqualTo(trainPart.Slice(0, 600).Pixels), "dynamic: training images stay grey");
        Assert.That(dynamic.Test.Pixels.All(v => v is 0f or 1f));
        Assert.That(dynamic.Test.Pixels, Is.Not.EqualTo(labelled.Test.Pixels), "different seeds, different samples");
    }

    [Test]
    public void StaticBinarizedMnist_50k10k10k_Binary_OnesFractionAsManifest()
    {
        var d = StaticBinarizedMnist.Load(Verified(StaticBinarizedMnist.Info));

        Assert.That((d.Train.Count, d.Validation!.Count, d.Test.Count), Is.EqualTo((50_000, 10_000, 10_000)));
        Assert.That(d.IsLabelled, Is.False);
        Assert.That(d.Train.Pixels.Average(), Is.EqualTo(0.1306).Within(5e-5), "MANIFEST: fraction of ones 0.1306");
        Assert.That(d.Validation.Pixels.Average(), Is.EqualTo(0.1311).Within(5e-5));
        Assert.That(d.Test.Pixels.Average(), Is.EqualTo(0.1325).Within(5e-5));
        Assert.That(BorderMean(d.Test, 28, 28), Is.LessThan(0.01), "ink = 1 on 0");
    }

    [Test]
    public void FashionMnist_60k10k_BalancedClasses_DarkBackground()
    {
        var d = FashionMnist.Load(Verified(FashionMnist.Info));

        Assert.That(Histogram(d.Train.Labels, 10), Is.All.EqualTo(6000));
        Assert.That(Histogram(d.Test.Labels, 10), Is.All.EqualTo(1000));
        Assert.That((d.Train.Pixels.Min(), d.Train.Pixels.Max()), Is.EqualTo((0f, 1f)));
        Assert.That(BorderMean(d.Test, 28, 28), Is.LessThan(0.1), "garment bright on a black background");
    }

    [Test]
    public void Omniglot_32460Images_1623Characters_50Alphabets_28x28Split()
    {
        var images = Omniglot.Load(Verified(Omniglot.Info));
        var d = Omniglot.Dataset28(images);

        Assert.That(images.Count, Is.EqualTo(32_460));
        Assert.That(images.BackgroundCount, Is.EqualTo(19_280));
        Assert.That(images.Characters, Has.Count.EqualTo(1_623));
        Assert.That(images.Alphabets, Has.Count.EqualTo(50));
        Assert.That(images.Alphabets.Take(2), Is.EqualTo(new[] { "Arcadian", "Armenian" }));
        var ink = images.Strokes.AsSpan(0, 1000 * OmniglotImages.Pixels).Count((byte)1) / (1000.0 * OmniglotImages.Pixels);
        Assert.That(ink, Is.InRange(0.02, 0.2), "strokes (1) are the minority: polarity is object-bright");
        Assert.That((d.Images.Train.Count, d.Images.Validation!.Count, d.Images.Test.Count), Is.EqualTo((23_000, 1_345, 8_115)));
        Assert.That(Histogram(d.Images.Train.Labels, 50), Is.All.GreaterThan(0), "every alphabet in train");
        Assert.That(Histogram(d.Images.Test.Labels, 50), Is.All.GreaterThan(0), "every alphabet in test");
        Assert.That(d.Images.Test.Pixels.Max(), Is.LessThanOrEqualTo(1f));
        Assert.That(BorderMean(d.Images.Test, 28, 28), Is.LessThan(0.05));
    }

    [Test]
    public void Caltech_4100_2264_2307_Binary_101Classes_SilhouetteBright()
    {
        var d = Caltech101Silhouettes.Load(Verified(Caltech101Silhouettes.Info));

        Assert.That((d.Train.Count, d.Validation!.Count, d.Test.Count), Is.EqualTo((4100, 2264, 2307)));
        Assert.That(d.ClassNames, Has.Count.EqualTo(101));
        Assert.That(d.ClassNames![0], Is.EqualTo("Airplanes Side 2"));
        foreach (var (name, split) in d.Splits())
        {
            Assert.That(Histogram(split.Labels, 101), Is.All.GreaterThan(0), $"all 101 classes in {name}");
            Assert.That(split.Pixels.All(v => v is 0f or 1f), name);
        }

        Assert.That(BorderMean(d.Train, 28, 28), Is.LessThan(0.05), "after 1 − x the background is 0");
        Assert.That(d.Train.Pixels.Average(), Is.EqualTo(0.44894537).Within(1e-6), "silhouette fraction of train after 1 − x (0.4489, computed independently from the file)");
    }

    [Test]
    public void Frey_1965Images_28x20_PixelRangeAndMean()
    {
        var folder = Verified(FreyFaces.Info);
        var all = FreyFaces.LoadAll(folder);
        var d = FreyFaces.Load(folder);

        Assert.That((all.Count, all.Dim), Is.EqualTo((1965, 560)));
        Assert.That(all.Pixels.Min(), Is.EqualTo(8.5f / 256), "MANIFEST: min byte 8");
        Assert.That(all.Pixels.Max(), Is.EqualTo(238.5f / 256), "MANIFEST: max byte 238");
        Assert.That(all.Pixels.Average() * 256 - 0.5, Is.EqualTo(154.46).Within(0.01), "MANIFEST: mean byte 154.46");
        Assert.That((d.Train.Count, d.Validation!.Count, d.Test.Count), Is.EqualTo((1565, 200, 200)));
    }
}
