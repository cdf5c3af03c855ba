using Engine.Core;
using Engine.Kernels;
using Engine.Models.Meta;
using Engine.Models.Vae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class MetaVaeTests
{
    private static MetaVae Small(int datasets = 2) =>
        new(new MetaVaeOptions(Inputs: 12, Latents: 3, Hidden: 6, Datasets: datasets), new Rng(1), DType.Float64);

    [Test]
    public void MetaElbo_WithOneDataset_AndASummaryTheEncoderIgnores_IsTheElbo()
    {
        var model = Small(datasets: 1);
        // Zero the aggregation weights that read the summary (input columns 12…17): q(z|D, x) = q(z|x).
        var first = model.Parameters().First(p => p.Name == "aggregate.0.weight");
        var w = first.ToDoubleArray();
        for (var r = 0; r < 6; r++)
        {
            for (var col = 12; col < 18; col++)
            {
                w[r * 18 + col] = 0;
            }
        }

        first.CopyFrom<double>(w);
        var x = Seeds.Uniform(2, [4, 12], 0, 1, requiresGrad: false);
        var setsA = Seeds.Uniform(3, [4, 5, 12], 0, 1, requiresGrad: false);
        var setsB = Seeds.Uniform(4, [4, 5, 12], 0, 1, requiresGrad: false);
        var metaA = model.Loss(x, setsA, 0, new Rng(5)).Loss.Item();
        var metaB = model.Loss(x, setsB, 0, new Rng(5)).Loss.Item();
        Assert.That(metaB, Is.EqualTo(metaA), "the set no longer matters");

        // The same network as an ordinary VAE: encoder x ↦ q(z|·, x), decoder 0, N(0, I) prior.
        var vae = new VariationalAutoencoder(new FixedSetEncoder(model, setsA), new DecoderZero(model),
            new Engine.Models.Likelihoods.BernoulliLikelihood(), _ => new Engine.Models.Priors.StandardNormalPrior(3, DType.Float64));
        Assert.That(vae.Elbo(x, new Rng(5)).Loss.Item(), Is.EqualTo(metaA).Within(1e-12));
    }

    [Test]
    public void GradCheck_MetaVaeLoss_Direction()
    {
        var model = Small();
        var x = Seeds.Uniform(6, [3, 12], 0, 1, requiresGrad: false);
        var sets = Seeds.Uniform(7, [3, 4, 12], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Loss(x, sets, 1, new Rng(8)).Loss, model.Parameters().ToArray());
    }

    /// <summary>
    /// Issue 8: the transformed-MNIST rows reported a MetaVAE whose posterior sat at the prior. On a
    /// toy family where z must tell four prototypes apart (two datasets: the prototypes and their
    /// negatives), training has to move KL(q(z|D, x) ‖ N(0, I)) well above 0 and separate the
    /// prototypes' μ_z; anything that lets the decoders reconstruct without z, or over-weights the KL,
    /// leaves it collapsed at ≈ 0 and fails here.
    /// </summary>
    [Test]
    public void Training_OnAToyFamily_MovesThePosteriorOffThePrior()
    {
        var model = new MetaVae(new MetaVaeOptions(Inputs: 12, Latents: 3, Hidden: 16, Datasets: 2), new Rng(1), DType.Float64);
        var optimizer = new Engine.Core.Optim.Adam(model.Parameters(), new Engine.Core.Optim.AdamOptions(1e-2));
        var random = new System.Random(21);
        // Prototype k lights pixels 3k…3k+2: any two differ in six pixels.
        var prototypes = Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, 12).Select(p => p / 3 == k ? 0.95 : 0.05).ToArray()).ToArray();
        double[][][] datasets = [prototypes, prototypes.Select(p => p.Select(v => 1 - v).ToArray()).ToArray()];
        Tensor Batch(int dataset, int[] items) => Tensor.FromArray(items.SelectMany(k => datasets[dataset][k]).ToArray(), items.Length, 12);
        Tensor Sets(int dataset, int rows) => Tensor.FromArray(
            Enumerable.Range(0, rows * 3).SelectMany(_ => datasets[dataset][random.Next(4)]).ToArray(), rows, 3, 12);
        var noise = new Rng(22);
        int[] all = [0, 1, 2, 3, 0, 1, 2, 3];
        double Kl()
        {
            using var noGrad = Tape.NoGrad();
            return Enumerable.Range(0, 2).Average(d => model.Loss(Batch(d, all), Sets(d, 8), d, noise).MeanKl);
        }

        var before = Kl();
        for (var step = 0; step < 1000; step++)
        {
            using var tape = new Tape();
            var loss = Ops.Affine(Ops.Add(model.Loss(Batch(0, all), Sets(0, 8), 0, noise).Loss, model.Loss(Batch(1, all), Sets(1, 8), 1, noise).Loss), 0.5);
            optimizer.ZeroGrad();
            tape.Backward(loss);
            optimizer.Step();
        }

        Assert.That(before, Is.LessThan(0.5), "an untrained encoder starts near the prior");
        Assert.That(Kl(), Is.GreaterThan(1.0), "log 4 = 1.39 nats tell the four prototypes apart");
        using var noGrad = Tape.NoGrad();
        var mu = model.Embed(Batch(0, [0, 1, 2, 3]), Sets(0, 4)).ToDoubleArray();
        var closest = Enumerable.Range(0, 4).SelectMany(a => Enumerable.Range(a + 1, 3 - a).Select(b =>
            Math.Sqrt(Enumerable.Range(0, 3).Sum(m => Math.Pow(mu[a * 3 + m] - mu[b * 3 + m], 2))))).Min();
        Assert.That(closest, Is.GreaterThan(0.5), "every prototype has its own μ_z");
    }

    private static ContextVae SmallContext(ContextModel kind, int components = 0) =>
        new(new ContextVaeOptions(kind, Inputs: 10, Latents: 3, ContextLatents: 4, Hidden: 6, DecoderWide: 8,
            VampPriorComponents: components, PseudoSetSize: 3), new Rng(9), DType.Float64);

    [TestCase(ContextModel.Homoencoder, 0)]
    [TestCase(ContextModel.Homoencoder, 5)]
    [TestCase(ContextModel.NeuralStatistician, 0)]
    public void GradCheck_ContextVaeLoss_Direction(ContextModel kind, int components)
    {
        var model = SmallContext(kind, components);
        var x = Seeds.Uniform(10, [4, 10], 0, 1, requiresGrad: false);
        var sets = Seeds.Uniform(11, [4, 3, 10], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Loss(x, sets, new Rng(12)).Loss, model.Parameters().ToArray());
    }

    [Test]
    public void GradCheck_Elu() => GradCheck.Check(t => Elu.Apply(t[0], 0.7), Seeds.Randn(13, [4, 5], 2));

    [Test]
    public void VampPriorOnC_AddsExactlyThePseudoSets()
    {
        var plain = SmallContext(ContextModel.Homoencoder);
        var vamp = SmallContext(ContextModel.Homoencoder, 5);
        Assert.That(vamp.ParameterCount() - plain.ParameterCount(), Is.EqualTo(5 * 3 * 10));
    }

    private sealed class FixedSetEncoder(MetaVae model, Tensor sets) : EncoderModule
    {
        public override (Tensor Mu, Tensor Logvar) Encode(Tensor x) => model.Encode(x, sets);
    }

    private sealed class DecoderZero(MetaVae model) : DecoderModule
    {
        public override Tensor Decode(Tensor z) => model.Decode(z, 0);
    }
}

public class MixtureClusteringModelTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void GradCheck_MixtureClusteringLoss_Direction(bool useSummary)
    {
        var model = new Engine.Models.Meta.Demos.MixtureClusteringModel(2, useSummary, new Rng(1), hidden: 6, dtype: DType.Float64);
        var x = Seeds.Randn(2, [7, 2], 2, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Loss(x, 1), model.Parameters().ToArray());
    }

    [Test]
    public void DecoderInit_OrdersTheTwoMeansByFirstCoordinate()
    {
        var model = new Engine.Models.Meta.Demos.MixtureClusteringModel(1, true, new Rng(3));
        model.InitializeDecoder(0, [4f, 1f, 4.1f, 1f, -3f, 2f, -3.1f, 2.2f]);
        var means = model.Parameters().First(p => p.Name == "decoder0.means").ToFloatArray();
        Assert.That(means[0], Is.LessThan(means[2]));
    }
}

public class MetaVaeDemoModelTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void GradCheck_CompiledInferenceLoss_Direction(bool useSummary)
    {
        var model = new Engine.Models.Meta.Demos.CompiledInferenceNetwork(useSummary, new Rng(1), hidden: 5, dtype: DType.Float64);
        var x = Seeds.Randn(2, [6, 1], 1, requiresGrad: false);
        var pairs = Seeds.Randn(3, [6, 4, 2], 1, requiresGrad: false);
        var friction = Seeds.Uniform(4, [6, 1], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Loss(x, useSummary ? pairs : null, friction), model.Parameters().ToArray());
    }

    [Test]
    public void GradCheck_SufficientStatisticLoss_MixedFamilies_Direction()
    {
        var model = new Engine.Models.Meta.Demos.SufficientStatisticVae(new Rng(5), hidden: 4, dtype: DType.Float64);
        var query = Seeds.Uniform(6, [5, 7], 0.2, 2, requiresGrad: false);
        var context = Seeds.Uniform(7, [5, 3, 7], 0.2, 2, requiresGrad: false);
        (Engine.Models.Meta.Demos.KnownLikelihood, int)[] segments =
            [(Engine.Models.Meta.Demos.KnownLikelihood.Gaussian, 2), (Engine.Models.Meta.Demos.KnownLikelihood.LogNormal, 2), (Engine.Models.Meta.Demos.KnownLikelihood.Exponential, 1)];
        GradCheck.CheckDirection(_ => model.Loss(query, context, segments, new Rng(8)), model.Parameters().ToArray());
    }

    [Test]
    public void KnownLikelihoods_MatchTheirClosedForms()
    {
        var x = Tensor.FromArray([0.5, 1.0], 1, 2);
        var z = Tensor.FromArray([Math.Log(2)], 1, 1);
        using var noGrad = Tape.NoGrad();
        var exponential = Engine.Models.Meta.Demos.SufficientStatisticVae.LogLikelihood(x, z, Engine.Models.Meta.Demos.KnownLikelihood.Exponential).Item();
        Assert.That(exponential, Is.EqualTo(2 * Math.Log(2) - 2 * 1.5).Within(1e-12), "Σ log λ − λx with λ = 2, summed");
        var gaussian = Engine.Models.Meta.Demos.SufficientStatisticVae.LogLikelihood(x, z, Engine.Models.Meta.Demos.KnownLikelihood.Gaussian).Item();
        double Normal(double v, double m, double variance) => -0.5 * Math.Log(2 * Math.PI * variance) - (v - m) * (v - m) / (2 * variance);
        Assert.That(gaussian, Is.EqualTo((Normal(0.5, Math.Log(2), 0.1) + Normal(1.0, Math.Log(2), 0.1)) / 2).Within(1e-12), "averaged over the set");
        var logNormal = Engine.Models.Meta.Demos.SufficientStatisticVae.LogLikelihood(x, z, Engine.Models.Meta.Demos.KnownLikelihood.LogNormal).Item();
        Assert.That(logNormal, Is.EqualTo((Normal(Math.Log(0.5), Math.Log(2), 0.01) - Math.Log(0.5) + Normal(0, Math.Log(2), 0.01)) / 2).Within(1e-12));
    }
}
