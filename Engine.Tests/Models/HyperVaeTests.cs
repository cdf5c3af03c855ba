using Engine.Core;
using Engine.Kernels;
using Engine.Models.Hyper;
using Engine.Models.Vae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class HyperVaeTests
{
    [Test]
    public void WithZeroFactors_TheGeneratedNetworkIsB_AndItsElboEqualsAPlainVae()
    {
        var model = new HyperVae(new HyperVaeOptions(), new Rng(1), DType.Float64);
        foreach (var factor in model.Decoder.Factors)
        {
            factor.Fill(0);
        }

        var x = Seeds.Uniform(2, [3, 784], 0, 1, requiresGrad: false);
        var theta = model.NetworkFor(Engine.Core.Ops.Slice(x, 0, 0, 1));
        var generated = theta.ToList();
        var bases = model.Decoder.BaseWeights;
        for (var i = 0; i < 18; i++)
        {
            Assert.That(generated[i].ToDoubleArray(), Is.EqualTo(bases[i].ToDoubleArray()), $"tensor {i}");
        }

        var plain = ConvVae.FromWeights(ConvVaeWeights.FromList(bases.Select((b, i) => Engine.Core.Ops.Reshape(b, generated[i].Shape.ToArray())).ToList()));
        var viaGenerated = ConvVae.FromWeights(theta);
        Assert.That(viaGenerated.Elbo(x, new Rng(3)).Loss.Item(), Is.EqualTo(plain.Elbo(x, new Rng(3)).Loss.Item()));
    }

    [Test]
    public void GradCheck_HyperVaeLoss_ThroughTheGeneratedNetwork_Direction()
    {
        var model = new HyperVae(new HyperVaeOptions(FactorInitStd: 0.1), new Rng(4), DType.Float64);
        var x = Seeds.Uniform(5, [2, 784], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Loss(x, 1, new Rng(6)).Loss, model.Parameters().ToArray());
    }

    [Test]
    public void ParameterCount_OfTheBenchmarkConfiguration_Is1075161()
    {
        var model = new HyperVae(new HyperVaeOptions(Trunk: HyperTrunk.Dense400, Factorization: MatrixFactorization.Balanced), new Rng(7));
        Assert.That(model.ParameterCount(), Is.EqualTo(1_075_161));
    }

    [TestCase(288, 16, 18)]
    [TestCase(313_600, 560, 560)]
    [TestCase(1, 1, 1)]
    [TestCase(3136, 56, 56)]
    public void BalancedFactorization_MatchesBenchmarkE(int numel, int rows, int cols) =>
        Assert.That(HyperDecoder.MatrixShape(new Shape(numel), MatrixFactorization.Balanced), Is.EqualTo((rows, cols)));

    [Test]
    public void DefaultConfiguration_CountsAreTheSpecFormula()
    {
        var model = new HyperVae(new HyperVaeOptions(), new Rng(8));
        long expected = 334_536 + (10 * 100 + 100) + (100 * 400 + 400);
        foreach (var (_, shape, _) in ConvVaeWeights.Layout())
        {
            var (m, n) = HyperDecoder.MatrixShape(shape, MatrixFactorization.Layout);
            expected += 20L * m + 20L * n + (long)m * n;
        }

        Assert.That(model.ParameterCount(), Is.EqualTo(expected));
    }
}
