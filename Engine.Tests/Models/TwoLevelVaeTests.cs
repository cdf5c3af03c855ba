using Engine.Core;
using Engine.Kernels;
using Engine.Models.Bounds;
using Engine.Models.Hvae;
using Engine.Models.Vae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class TwoLevelVaeTests
{
    private static TwoLevelVae Small(PriorKind prior) =>
        new(8, new Rng(1), prior, hidden: 5, latents1: 3, latents2: 2, components: 3, dtype: DType.Float64);

    [TestCase(PriorKind.Standard)]
    [TestCase(PriorKind.VampPrior)]
    public void GradCheck_TwoLevelVaeElbo_Direction(PriorKind prior)
    {
        var model = Small(prior);
        var x = Seeds.Uniform(2, [4, 8], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Elbo(x, new Rng(3), beta: 0.5).Loss, model.Parameters().ToArray());
    }

    [Test]
    public void LogWeights_WithOneSample_MatchTheElbo()
    {
        var model = Small(PriorKind.VampPrior);
        var x = Seeds.Uniform(4, [3, 8], 0, 1, requiresGrad: false);
        var elbo = model.Elbo(x, new Rng(5)).Loss.Item();
        var logw = model.LogWeights(x, new Rng(5), 1).ToDoubleArray();
        Assert.That(-logw.Average(), Is.EqualTo(elbo).Within(1e-10));
    }

    [Test]
    public void ImportanceSampledLogLikelihood_IsAboveTheElbo()
    {
        var model = Small(PriorKind.VampPrior);
        var x = Seeds.Uniform(6, [5, 8], 0, 1, requiresGrad: false);
        var elbo = -Enumerable.Range(0, 30).Average(i => model.Elbo(x, new Rng((ulong)(10 + i))).Loss.Item());
        var ll = ImportanceSampling.LogLikelihood(model.LogWeights, x, new Rng(7), 500).Average();
        Assert.That(ll, Is.GreaterThan(elbo));
    }

    [Test]
    public void ReconstructAndSample_WithAZeroOutputWeight_GiveSigmoidOfTheOutputBias()
    {
        var model = Small(PriorKind.VampPrior);
        model.Parameters().First(p => p.Name == "px.out.weight").Fill(0);
        var bias = model.Parameters().First(p => p.Name == "px.out.bias").ToDoubleArray();
        var expected = Enumerable.Range(0, 3).SelectMany(_ => bias.Select(b => 1 / (1 + Math.Exp(-b)))).ToArray();
        var x = Seeds.Uniform(8, [3, 8], 0, 1, requiresGrad: false);
        Assert.That(model.Reconstruct(x).ToDoubleArray(), Is.EqualTo(expected).Within(1e-12));
        Assert.That(model.Sample(3, new Rng(9)).ToDoubleArray(), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void Reconstruct_IsDeterministicAndRowByRow()
    {
        var model = Small(PriorKind.VampPrior);
        var x = Seeds.Uniform(10, [3, 8], 0, 1, requiresGrad: false);
        var all = model.Reconstruct(x).ToDoubleArray();
        Assert.That(all, Has.Length.EqualTo(24).And.All.InRange(0.0, 1.0));
        var second = model.Reconstruct(Tensor.FromArray(x.ToDoubleArray().AsSpan(8, 8).ToArray(), 1, 8)).ToDoubleArray();
        Assert.That(second, Is.EqualTo(all.AsSpan(8, 8).ToArray()).Within(1e-12));
    }
}
