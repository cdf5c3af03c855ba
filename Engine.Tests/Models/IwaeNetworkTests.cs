using Engine.Core;
using Engine.Kernels;
using Engine.Models.Iwae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class IwaeNetworkTests
{
    private static readonly IReadOnlyList<StochasticLayer> Tiny = [new([5, 4], 3), new([4], 2)];

    [Test]
    public void ParameterCount_OfTheOneLayerNetwork_IsThePapersArchitecture()
    {
        var net = new IwaeNetwork(784, IwaeArchitecture.OneLayer, new Rng(1));
        long expected = (784 * 200 + 200) + (200 * 200 + 200) + 2 * (200 * 50 + 50)  // encoder + μ, log σ heads
            + (50 * 200 + 200) + (200 * 200 + 200) + (200 * 784 + 784);              // decoder
        Assert.That(net.ParameterCount(), Is.EqualTo(expected));
    }

    [Test]
    public void WithOneSample_IwaeAndVaeLossesAgree()
    {
        var net = new IwaeNetwork(6, Tiny, new Rng(2), dtype: DType.Float64);
        var x = Seeds.Uniform(3, [4, 6], 0, 1, requiresGrad: false);
        Assert.That(net.IwaeLoss(x, new Rng(4), 1).Item(), Is.EqualTo(net.VaeLoss(x, new Rng(4), 1).Item()).Within(1e-12));
    }

    [Test]
    public void GradCheck_IwaeLoss_TwoStochasticLayers_Direction()
    {
        var net = new IwaeNetwork(6, Tiny, new Rng(5), dtype: DType.Float64);
        var x = Seeds.Uniform(6, [3, 6], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => net.IwaeLoss(x, new Rng(7), 4), net.Parameters().ToArray());
    }

    [Test]
    public void IwaeBound_IsTighterThanTheMultiSampleElbo_OnAverage()
    {
        var net = new IwaeNetwork(6, Tiny, new Rng(8), dtype: DType.Float64);
        var x = Seeds.Uniform(9, [200, 6], 0, 1, requiresGrad: false);
        Assert.That(net.IwaeLoss(x, new Rng(10), 20).Item(), Is.LessThan(net.VaeLoss(x, new Rng(10), 20).Item()));
    }

    [Test]
    public void OutputBias_StartsAtTheLogitOfTheMeanPixel()
    {
        var net = new IwaeNetwork(3, IwaeArchitecture.OneLayer, new Rng(11), meanPixel: [0.5f, 0.0f, 0.9f]);
        var bias = net.Parameters().First(p => p.Name == "px.logits.bias").ToFloatArray();
        Assert.That(bias, Is.EqualTo(new[] { 0f, (float)Math.Log(0.001 / 0.999), (float)Math.Log(0.9 / 0.1) }).Within(1e-5));
    }

    [Test]
    public void PosteriorMeans_HaveOneArrayPerStochasticLayer()
    {
        var net = new IwaeNetwork(6, Tiny, new Rng(12), dtype: DType.Float64);
        var means = net.PosteriorMeans(Seeds.Uniform(13, [5, 6], 0, 1, requiresGrad: false), new Rng(14), 3);
        Assert.That(means.Select(m => m.Length), Is.EqualTo(new[] { 15, 10 }));
    }

    [Test]
    public void ReconstructAndSample_WithAZeroOutputWeight_GiveTheMeanPixelImage()
    {
        // The output bias starts at logit(mean pixel); with its weight zeroed every image is σ(bias).
        float[] meanPixel = [0.2f, 0.5f, 0.7f, 0.9f, 0.4f, 0.1f];
        var net = new IwaeNetwork(6, Tiny, new Rng(15), meanPixel, DType.Float64);
        net.Parameters().First(p => p.Name == "px.logits.weight").Fill(0);
        var x = Seeds.Uniform(16, [3, 6], 0, 1, requiresGrad: false);
        var expected = Enumerable.Range(0, 3).SelectMany(_ => meanPixel.Select(p => (double)p)).ToArray();
        Assert.That(net.Reconstruct(x).ToDoubleArray(), Is.EqualTo(expected).Within(1e-6));
        Assert.That(net.Sample(3, new Rng(17)).ToDoubleArray(), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Sample_TwoStochasticLayers_IsSeededAndInTheUnitInterval()
    {
        var net = new IwaeNetwork(6, Tiny, new Rng(18), dtype: DType.Float64);
        var a = net.Sample(4, new Rng(19)).ToDoubleArray();
        Assert.That(a, Has.Length.EqualTo(24).And.All.InRange(0.0, 1.0));
        Assert.That(net.Sample(4, new Rng(19)).ToDoubleArray(), Is.EqualTo(a));
        Assert.That(net.Sample(4, new Rng(20)).ToDoubleArray(), Is.Not.EqualTo(a));
    }
}
