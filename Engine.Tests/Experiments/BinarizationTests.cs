using Engine.Core;
using Engine.Experiments.Data;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class BinarizationTests
{
    [Test]
    public void Sample_GivesZerosAndOnesWithTheRightFrequency()
    {
        var p = Enumerable.Range(0, 20_000).Select(i => (i % 5) / 4f).ToArray(); // 0, ¼, ½, ¾, 1
        var x = new float[p.Length];

        Binarization.Sample(p, x, new Rng(1));

        Assert.That(x.All(v => v is 0f or 1f));
        for (var k = 0; k < 5; k++)
        {
            var mean = x.Where((_, i) => i % 5 == k).Average();
            Assert.That(mean, Is.EqualTo(k / 4.0).Within(0.03), $"p = {k / 4.0}");
        }
    }

    [Test]
    public void Sample_SameSeedSameBits_OtherSeedOtherBits()
    {
        var p = Enumerable.Repeat(0.5f, 1000).ToArray();
        float[] Draw(ulong seed)
        {
            var x = new float[p.Length];
            Binarization.Sample(p, x, new Rng(seed));
            return x;
        }

        Assert.That(Draw(4), Is.EqualTo(Draw(4)));
        Assert.That(Draw(5), Is.Not.EqualTo(Draw(4)));
    }

    [Test]
    public void SampleOnce_DoesNotDependOnChunking()
    {
        var pixels = Enumerable.Range(0, 2500 * 4).Select(i => (i % 7) / 6f).ToArray();
        var images = new ImageSet(pixels, new byte[2500], 4);
        var whole = new float[pixels.Length];
        Binarization.Sample(pixels, whole, new Rng(9));

        Assert.That(Binarization.SampleOnce(images, new Rng(9)), Is.EqualTo(whole));
    }
}
