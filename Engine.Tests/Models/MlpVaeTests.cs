using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class MlpVaeTests
{
    /// <summary>Trains 20 steps on a fixed synthetic binary batch and returns the losses.</summary>
    private static double[] TrainLosses(ulong seed, int steps = 20)
    {
        var rng = new Rng(seed);
        var model = new MlpVae(new MlpVaeConfig(Inputs: 64, Hidden: 32, HiddenLayers: 2, Latents: 8), rng.Fork(1));
        var optimizer = new Adam(model.Parameters());
        // four binary prototypes repeated: structure a VAE can learn quickly
        var prototypes = new Rng(99).Uniform(new Shape(4, 64)).ToFloatArray();
        var x = Tensor.FromArray(Enumerable.Range(0, 50 * 64).Select(i => prototypes[(i / 64 % 4) * 64 + i % 64] > 0.5f ? 1f : 0f).ToArray(), 50, 64);
        var noise = rng.Fork(2);
        var losses = new double[steps];
        for (var step = 0; step < steps; step++)
        {
            using var tape = new Tape();
            var terms = model.Elbo(x, noise);
            optimizer.ZeroGrad();
            tape.Backward(terms.Loss);
            optimizer.Step();
            losses[step] = terms.Loss.Item();
        }

        return losses;
    }

    [Test]
    public void SameSeed_GivesIdenticalLosses_For20Steps()
    {
        var first = TrainLosses(5);
        var second = TrainLosses(5);
        Assert.That(second, Is.EqualTo(first), "bitwise-identical losses for the same seed");
        Assert.That(TrainLosses(6), Is.Not.EqualTo(first), "a different seed changes the run");
    }

    [Test]
    public void Training_ReducesTheLoss()
    {
        var losses = TrainLosses(5, 60);
        Assert.That(losses.Skip(50).Average(), Is.LessThan(losses.Take(5).Average() - 5));
    }

    [Test]
    public void GradCheck_MlpVae_Direction()
    {
        var rng = new Rng(3);
        var model = new MlpVae(new MlpVaeConfig(Inputs: 6, Hidden: 5, HiddenLayers: 2, Latents: 3), rng, Engine.Kernels.DType.Float64);
        var x = Seeds.Uniform(4, [4, 6], 0, 1, requiresGrad: false);
        var parameters = model.Parameters().ToArray();
        GradCheck.CheckDirection(_ => model.Elbo(x, new Rng(11)).Loss, parameters);
    }

    [Test]
    public void ImportanceSampledLogLikelihood_IsAboveTheElbo_OnAverage()
    {
        var rng = new Rng(8);
        var model = new MlpVae(new MlpVaeConfig(Inputs: 16, Hidden: 8, HiddenLayers: 1, Latents: 2), rng, Engine.Kernels.DType.Float64);
        var x = Seeds.Uniform(9, [10, 16], 0, 1, requiresGrad: false);
        using var noGrad = Tape.NoGrad();
        var elbo = -Enumerable.Range(0, 50).Average(i => model.Elbo(x, new Rng((ulong)(100 + i))).Loss.Item());
        var ll = model.ImportanceSampledLogLikelihood(x, new Rng(5), 2000).Average();
        Assert.That(ll, Is.GreaterThan(elbo));
    }
}
