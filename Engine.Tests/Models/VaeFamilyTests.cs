using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Bounds;
using Engine.Models.Layers;
using Engine.Models.Likelihoods;
using Engine.Models.Priors;
using Engine.Models.Vae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class VaeFamilyTests
{
    private static VariationalAutoencoder Small(PriorKind prior, ILikelihood? likelihood = null, bool gated = true, float[]? data = null) =>
        VaeBuilder.Mlp(new MlpVaeSpec(Inputs: 6, Hidden: 5, HiddenLayers: 2, Latents: 3, Gated: gated, Prior: prior, Components: 4,
            LogvarClamp: (-6, 2), Likelihood: likelihood, PseudoInputData: data), new Rng(21), DType.Float64);

    [TestCase(PriorKind.Standard)]
    [TestCase(PriorKind.MixtureOfGaussians)]
    [TestCase(PriorKind.VampPrior)]
    public void GradCheck_VaeElbo_Direction(PriorKind prior)
    {
        var model = Small(prior);
        var x = Seeds.Uniform(22, [4, 6], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Elbo(x, new Rng(3), beta: 0.7).Loss, model.Parameters().ToArray());
    }

    [Test]
    public void GradCheck_IwaeLoss_Direction()
    {
        var model = Small(PriorKind.VampPrior);
        var x = Seeds.Uniform(23, [3, 6], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.IwaeLoss(x, new Rng(4), 5), model.Parameters().ToArray());
    }

    [Test]
    public void GradCheck_GatedDense()
    {
        var layer = new GatedDense("g", 4, 3, new Rng(1), DType.Float64);
        GradCheck.Check(t => layer.Forward(t[0]), Seeds.Randn(24, [5, 4]));
        GradCheck.CheckDirection(_ => layer.Forward(Seeds.Randn(25, [5, 4], requiresGrad: false)), layer.Parameters().ToArray());
    }

    [Test]
    public void GradCheck_DiscretizedLogisticLikelihood()
    {
        var x = Seeds.Leaf(new[] { 0.1, 0.5, 0.93, 0.0, 0.25, 0.7 }, [2, 3], requiresGrad: false);
        GradCheck.Check(t => new DiscretizedLogisticLikelihood().LogLikelihood(t[0], x), Seeds.Randn(26, [2, 6], 0.7));
    }

    [Test]
    public void DiscretizedLogistic_BinsTelescope_ToTheMassInTheUnitInterval()
    {
        var output = Seeds.Leaf(new[] { 0.3, -1.0 }, [1, 2], requiresGrad: false);
        var likelihood = new DiscretizedLogisticLikelihood();
        var total = 0.0;
        for (var v = 0; v < 256; v++)
        {
            var x = Seeds.Leaf(new[] { (v + 0.5) / 256 }, [1, 1], requiresGrad: false);
            total += Math.Exp(likelihood.LogLikelihood(output, x).Item()) - 1e-7;
        }

        // The reference's form has no open edge bins, so the 256 bins telescope to the mass in [0, 1].
        double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        var m = Math.Clamp(Sigmoid(0.3), 1.0 / 512, 1 - 1.0 / 512);
        var s = Math.Exp(-1.0);
        Assert.That(total, Is.EqualTo(Sigmoid((1 - m) / s) - Sigmoid(-m / s)).Within(1e-9));
    }

    [Test]
    public void GradCheck_GaussianLikelihood() =>
        GradCheck.Check(t => new GaussianLikelihood(0.7).LogLikelihood(t[0], Seeds.Randn(27, [3, 4], requiresGrad: false)), Seeds.Randn(28, [2, 3, 4]));

    [Test]
    public void GradCheck_MixtureComponentLogDensities() =>
        GradCheck.Check(t => MixtureDensity.ComponentLogDensities(t[0], t[1], t[2]), Seeds.Randn(29, [5, 3]), Seeds.Randn(30, [4, 3]), Seeds.Randn(31, [4, 3], 0.5));

    [Test]
    public void MixtureComponentLogDensities_EqualTheDirectBroadcast()
    {
        var z = Seeds.Randn(32, [5, 3], requiresGrad: false);
        var mu = Seeds.Randn(33, [4, 3], requiresGrad: false);
        var logvar = Seeds.Randn(34, [4, 3], 0.5, requiresGrad: false);
        var fast = MixtureDensity.ComponentLogDensities(z, mu, logvar).ToDoubleArray();
        var direct = Engine.Core.Ops.GaussianLogDensity(Engine.Core.Ops.Reshape(z, 5, 1, 3), mu, logvar).ToDoubleArray();
        Assert.That(fast, Is.EqualTo(direct).Within(1e-10));
    }

    [Test]
    public void VampPriorLogDensity_EqualsAHandComputation()
    {
        // Encoder q(z|u) = N(2u − 1, e^{0.5u}) with one latent; pseudo-inputs u = 0.2 and 0.9 (fixed data).
        (Tensor, Tensor) Encode(Tensor u) => (Engine.Core.Ops.Affine(u, 2, -1), Engine.Core.Ops.Affine(u, 0.5));
        var prior = new VampPrior(Encode, 2, 1, PseudoInputKind.FixedData, new Rng(1), data: [0.2f, 0.9f], dtype: DType.Float64);
        var z = Seeds.Leaf(new[] { 0.3 }, [1, 1], requiresGrad: false);
        double Normal(double x, double mean, double logvar) => Math.Exp(-0.5 * (Math.Log(2 * Math.PI) + logvar + (x - mean) * (x - mean) / Math.Exp(logvar)));
        var u1 = (double)0.2f;
        var u2 = (double)0.9f;
        var expected = Math.Log(0.5 * (Normal(0.3, 2 * u1 - 1, 0.5 * u1) + Normal(0.3, 2 * u2 - 1, 0.5 * u2)));
        Assert.That(prior.LogDensity(z).Item(), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void IwaeWithOneSample_EqualsTheSampledKlElbo()
    {
        var model = Small(PriorKind.VampPrior);
        var x = Seeds.Uniform(35, [4, 6], 0, 1, requiresGrad: false);
        var elbo = model.Elbo(x, new Rng(9), mode: KlMode.Sampled).Loss.Item();
        var iwae = model.IwaeLoss(x, new Rng(9), 1).Item();
        Assert.That(iwae, Is.EqualTo(elbo).Within(1e-10));
    }

    [Test]
    public void VampPriorData_UsesTheGivenImages_AndHasNoTrainableInputs()
    {
        var data = Enumerable.Range(0, 24).Select(i => (i % 5) / 4f).ToArray();
        var model = Small(PriorKind.VampPriorData, data: data);
        var prior = (VampPrior)model.Prior;
        Assert.That(prior.PseudoInputs().ToFloatArray(), Is.EqualTo(data));
        Assert.That(prior.Parameters(), Is.Empty);
    }

    [Test]
    public void ActiveUnits_CountsUnitsWhoseMeansVary()
    {
        // unit 0 varies (variance 1), unit 1 almost constant (variance 1e-4)
        double[] means = [1, 0.01, -1, -0.01, 1, 0.01, -1, -0.01];
        Assert.That(ActiveUnits.Count(means, 2), Is.EqualTo(1));
    }
}

public class ConvVaeTests
{
    [Test]
    public void ParameterCount_Is671125_AsBenchmarkD()
    {
        var vae = ConvVae.Create(new Rng(1));
        Assert.That(vae.ParameterCount(), Is.EqualTo(671_125));
    }

    [Test]
    public void Shapes_FlowThrough_WithSeveralSamples()
    {
        var vae = ConvVae.Create(new Rng(2));
        using var scope = new TensorScope();
        var x = new Rng(3).Uniform(new Shape(3, 784));
        Assert.That(vae.LogWeights(x, new Rng(4), 2).Shape, Is.EqualTo(new Shape(3, 2)));
        Assert.That(double.IsFinite(vae.Elbo(x, new Rng(5)).Loss.Item()));
    }

    [Test]
    public void GradCheck_ConvVaeElbo_Direction()
    {
        var vae = ConvVae.Create(new Rng(6), latents: 3, dtype: DType.Float64);
        var x = Seeds.Uniform(7, [2, 784], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => vae.Elbo(x, new Rng(8)).Loss, vae.Parameters().ToArray());
    }
}
