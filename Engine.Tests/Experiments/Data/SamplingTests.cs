using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class SamplingTests
{
    /// <summary>n images of 3 pixels whose first pixel is the image's index; label = index mod classes.</summary>
    private static ImageSet Indexed(int n, int classes = 10) => new(
        Enumerable.Range(0, n).SelectMany(i => new float[] { i, 0.5f, 1 }).ToArray(),
        Enumerable.Range(0, n).Select(i => (byte)(i % classes)).ToArray(),
        3);

    [Test]
    public void ShuffledBatches_EpochIsAPermutation_ReplayableAndDifferentPerEpoch()
    {
        var batches = new ShuffledBatches(103, 10, new Rng(5));

        var epoch0 = batches.Epoch(0).ToArray();
        var again = new ShuffledBatches(103, 10, new Rng(5)).Epoch(0).ToArray();
        var epoch1 = batches.Epoch(1).SelectMany(b => b).ToArray();

        Assert.That(epoch0, Has.Length.EqualTo(11));
        Assert.That(epoch0[^1], Has.Length.EqualTo(3));
        Assert.That(epoch0.SelectMany(b => b).Order(), Is.EqualTo(Enumerable.Range(0, 103)));
        Assert.That(again.SelectMany(b => b), Is.EqualTo(epoch0.SelectMany(b => b)));
        Assert.That(epoch1, Is.Not.EqualTo(epoch0.SelectMany(b => b)));
        Assert.That(new ShuffledBatches(103, 10, new Rng(5), dropLast: true).Epoch(0).Count(), Is.EqualTo(10));
    }

    [Test]
    public void Gather_CopiesTheChosenRows()
    {
        var images = Indexed(20);
        var batch = new float[2 * 3];

        ShuffledBatches.Gather(images, [7, 3], batch);
        var subset = ShuffledBatches.Subset(images, [7, 3]);

        Assert.That(batch, Is.EqualTo(new[] { 7, 0.5f, 1, 3, 0.5f, 1 }));
        Assert.That(subset.Labels, Is.EqualTo(new byte[] { 7, 3 }));
    }

    [Test]
    public void ClassBatches_OneClassPerBatch_DistinctMembers_SummaryInsideTheBatch()
    {
        var images = Indexed(2000);
        var sampler = new ClassBatchSampler(images.Labels, 100, new Rng(9));
        var seen = new int[10];

        for (var step = 0; step < 300; step++)
        {
            var batch = sampler.Step(step);
            seen[batch.Class]++;
            Assert.That(batch.Indices, Has.Length.EqualTo(100));
            Assert.That(batch.Indices.Select(i => images.Labels[i]), Is.All.EqualTo((byte)batch.Class));
            Assert.That(batch.Indices, Is.Unique);
            Assert.That(batch.Indices, Does.Contain(batch.Summary));
        }

        Assert.That(seen, Is.All.InRange(10, 55), "classes picked roughly uniformly (300 steps, 10 classes)");
        Assert.That(sampler.Step(17).Indices, Is.EqualTo(new ClassBatchSampler(images.Labels, 100, new Rng(9)).Step(17).Indices), "a step replays from the seed");
    }

    [Test]
    public void ClassBatches_ClassSmallerThanBatch_IsRefusedByName()
    {
        var labels = Enumerable.Repeat((byte)0, 150).Concat(Enumerable.Repeat((byte)4, 60)).ToArray();

        var e = Assert.Throws<ArgumentException>(() => new ClassBatchSampler(labels, 100, new Rng(1)));

        Assert.That(e!.Message, Does.Contain("4 (60)"));
    }

    [Test]
    public void HeldOutClass_RemovesExactlyThatClass()
    {
        var images = Indexed(1000);

        var (seen, held) = HeldOutClass.Split(images, 3);

        Assert.That(held.Count, Is.EqualTo(100));
        Assert.That(held.Labels, Is.All.EqualTo((byte)3));
        Assert.That(seen.Count, Is.EqualTo(900));
        Assert.That(seen.Labels, Has.None.EqualTo((byte)3));
        Assert.That(held.Row(0)[0], Is.EqualTo(3f), "dataset order kept");
    }

    [Test]
    public void OutlierMixture_OutliersAreTwentyPercent_FixedBySeed()
    {
        var normal = Indexed(1000);
        var others = new ImageSet(Enumerable.Range(0, 3 * 5000).Select(i => -1f - i / 3).ToArray(), new byte[5000], 3);

        var set = OutlierMixture.Build(normal, others, new Rng(42));
        var again = OutlierMixture.Build(normal, others, new Rng(42));

        Assert.That(set.Images.Count, Is.EqualTo(1250));
        Assert.That(set.OutlierCount / (double)set.Images.Count, Is.EqualTo(0.2));
        Assert.That(set.IsOutlier.Take(1000), Is.All.False);
        Assert.That(set.IsOutlier.Skip(1000), Is.All.True);
        Assert.That(set.OutlierSourceIndices, Is.Unique);
        Assert.That(set.Images.Row(1000)[0], Is.EqualTo(-1f - set.OutlierSourceIndices[0]));
        Assert.That(again.OutlierSourceIndices, Is.EqualTo(set.OutlierSourceIndices));
        Assert.Throws<ArgumentException>(() => OutlierMixture.Build(normal, new ImageSet(new float[8], new byte[2], 4), new Rng(1)));
    }
}
