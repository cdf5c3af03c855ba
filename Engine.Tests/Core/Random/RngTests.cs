using Engine.Core;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Core.Random;

public class RngTests
{
    [Test]
    public void Philox_MatchesThePublishedKnownAnswer()
    {
        // Random123 kat_vectors: philox4x32-10, counter = 0, key = 0 → 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
        var (a, b, c, d) = Philox.Block(0, 0);
        Assert.That(new[] { a, b, c, d }, Is.EqualTo(new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }));
    }

    [Test]
    public void SameSeedAndCounter_GiveTheSameTensor_RegardlessOfThreads()
    {
        var one = new Rng(42).Normal(new Shape(100_000), backend: new CpuBackend(1)).ToFloatArray();
        var two = new Rng(42).Normal(new Shape(100_000), backend: new CpuBackend(2)).ToFloatArray();
        Assert.That(two, Is.EqualTo(one));
    }

    [Test]
    public void Normal_HasTheRightMoments()
    {
        var values = new Rng(1).Normal(new Shape(200_000), DType.Float64, mean: 2, std: 3).ToDoubleArray();
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.That(mean, Is.EqualTo(2).Within(0.03));
        Assert.That(variance, Is.EqualTo(9).Within(0.15));
    }

    [Test]
    public void Uniform_StaysInItsInterval_AndFillsIt()
    {
        var values = new Rng(2).Uniform(new Shape(100_000), -1, 3).ToFloatArray();
        Assert.That(values.Min(), Is.GreaterThanOrEqualTo(-1f));
        Assert.That(values.Max(), Is.LessThan(3f));
        Assert.That(values.Average(), Is.EqualTo(1).Within(0.02));
    }

    [Test]
    public void CounterAdvances_SoConsecutiveDrawsDiffer_AndRestoringItRepeats()
    {
        var rng = new Rng(7);
        var first = rng.Normal(new Shape(10)).ToFloatArray();
        var counter = rng.Counter;
        var second = rng.Normal(new Shape(10)).ToFloatArray();
        Assert.That(second, Is.Not.EqualTo(first));
        rng.Counter = counter;
        Assert.That(rng.Normal(new Shape(10)).ToFloatArray(), Is.EqualTo(second));
    }

    [Test]
    public void Permutation_IsAPermutation()
    {
        var p = new Rng(3).Permutation(1000);
        Assert.That(p.OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 1000)));
        Assert.That(p, Is.Not.EqualTo(Enumerable.Range(0, 1000)));
    }
}
