using Engine.Core;
using Engine.Models.Bayesian;
using Engine.Models.Hyper;
using Engine.Models.Hyper.Novelty;
using Engine.Models.Vae;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class NoveltySearchTests
{
    private static readonly NoveltySearchOptions Small = new(3, 15, 5, false, new BayesianOptimizerOptions(InitialPoints: 5, Candidates: 200, LocalStarts: 1, RefitEvery: 5, UnitCube: true));

    /// <summary>A toy model: the image shows z and u as intensities; μ(x) reads u back from the image's first two pixels.</summary>
    private sealed class Toy : INoveltyGenerator
    {
        public List<float[]> Encoded { get; } = [];

        public int Generated { get; private set; }

        public int TaskLatents => 2;

        public int DataLatents => 2;

        public int Pixels => 4;

        public double[] TaskLatentOf(float[] image)
        {
            Encoded.Add((float[])image.Clone());
            return Mu(image);
        }

        public static double[] Mu(float[] image) => [image[0] * 10.0 - 5, image[1] * 10.0 - 5];

        public Func<double[], float[]> DecoderFor(double[] u)
        {
            Generated++;
            return z => [(float)((z[0] + 5) / 10), (float)((z[1] + 5) / 10), (float)((u[0] + 5) / 10), 0.5f];
        }
    }

    [Test]
    public void Cosine_IsTheNormalisedDotProduct()
    {
        Assert.That(CosineSimilarity.Of([1f, 0f], [1f, 1f]), Is.EqualTo(1 / Math.Sqrt(2)).Within(1e-12));
        Assert.That(CosineSimilarity.Of([2f, 4f, 6f], [1f, 2f, 3f]), Is.EqualTo(1).Within(1e-12), "scale-invariant");
        Assert.That(CosineSimilarity.Of([1f, 0f], [0f, 3f]), Is.EqualTo(0).Within(1e-12));
        Assert.That(CosineSimilarity.Of([-1f, -2f], [1f, 2f]), Is.EqualTo(-1).Within(1e-12));
        Assert.That(CosineSimilarity.Of([0f, 0f], [1f, 2f]), Is.EqualTo(0), "a blank candidate has no direction");
    }

    [Test]
    public void Cosine_RejectsABlankTargetAndMismatchedLengths()
    {
        Assert.That(() => CosineSimilarity.Of([1f, 2f], [0f, 0f]), Throws.ArgumentException.With.Message.Contains("all zero"));
        Assert.That(() => CosineSimilarity.Of([1f, 2f], [1f, 2f, 3f]), Throws.ArgumentException.With.Message.Contains("3"));
    }

    [Test]
    public void Run_StartsFromTheBlankImage_AndMovesUToThePosteriorMeanOfEachStepsBestImage()
    {
        var toy = new Toy();
        float[] target = [0.9f, 0.2f, 0.8f, 0.5f];

        var steps = NoveltySearch.Run(toy, target, Small, seed: 7);

        Assert.That(steps, Has.Count.EqualTo(3));
        Assert.That(toy.Encoded[0], Is.EqualTo(new float[4]), "d_1 is the all-zero image");
        Assert.That(steps[0].TaskLatent, Is.EqualTo(new[] { -5.0, -5.0 }), "u_1 = μ(0)");
        for (var t = 1; t < steps.Count; t++)
        {
            Assert.That(toy.Encoded[t], Is.EqualTo(steps[t - 1].Image), $"step {t + 1} encodes step {t}'s best image");
            Assert.That(steps[t].TaskLatent, Is.EqualTo(Toy.Mu(steps[t - 1].Image)), "u_(t+1) = μ(x_t*)");
        }

        Assert.That(toy.Generated, Is.EqualTo(3), "θ = g(u) once per step, not per evaluation");
        foreach (var step in steps)
        {
            Assert.That(step.Evaluations, Is.EqualTo(Small.EvaluationsPerStep));
            Assert.That(step.Similarity, Is.EqualTo(CosineSimilarity.Of(step.Image, target)));
            Assert.That(step.BestSoFar[^1], Is.EqualTo(step.Similarity).Within(1e-12), "x* is the best evaluated image");
            Assert.That(step.BestSoFar.Zip(step.BestSoFar.Skip(1)).All(p => p.Second >= p.First), "best-so-far never falls");
            Assert.That(step.Latent.All(v => v is >= -5 and <= 5), "z stays in [−5, 5]");
        }

        Assert.That(NoveltySearch.NextTaskLatent(toy, steps[^1]), Is.EqualTo(Toy.Mu(steps[^1].Image)));
    }

    [Test]
    public void Run_IsDeterministicForASeed()
    {
        float[] target = [0.9f, 0.2f, 0.8f, 0.5f];
        var a = NoveltySearch.Run(new Toy(), target, Small, seed: 3);
        var b = NoveltySearch.Run(new Toy(), target, Small, seed: 3);
        Assert.That(a.Select(s => s.Latent), Is.EqualTo(b.Select(s => s.Latent)));
    }

    [Test]
    public void JointFirstStep_SearchesUAndZ_ThenContinuesWithThePosteriorMean()
    {
        var toy = new Toy();
        float[] target = [0.9f, 0.2f, 0.8f, 0.5f];

        var steps = NoveltySearch.Run(toy, target, Small with { Steps = 2, JointFirstStep = true }, seed: 5);

        Assert.That(steps[0].TaskLatent, Has.Length.EqualTo(2));
        Assert.That(steps[0].TaskLatent.All(v => v is >= -5 and <= 5));
        Assert.That(toy.DecoderFor(steps[0].TaskLatent)(steps[0].Latent), Is.EqualTo(steps[0].Image), "the image of the searched (u, z)");
        Assert.That(steps[1].TaskLatent, Is.EqualTo(Toy.Mu(steps[0].Image)));
    }

    [Test]
    public void APlainVae_GetsOneSearchOverZ_AndNoTaskLatent()
    {
        var vae = new VaeGenerator(z => Ops.Concat(1, z, z), 2, pixels: 4);
        float[] target = [0.3f, 0.9f, 0.3f, 0.9f];

        var steps = NoveltySearch.Run(vae, target, Small, seed: 1);

        Assert.That(steps, Has.Count.EqualTo(1));
        Assert.That(steps[0].TaskLatent, Is.Empty);
        Assert.That(steps[0].Similarity, Is.GreaterThan(0.95), "sigmoid(z) can match the target's direction closely");
        Assert.That(() => vae.TaskLatentOf(target), Throws.TypeOf<NotSupportedException>());
    }

    [Test]
    public void BadInputs_GiveClearErrors()
    {
        Assert.That(() => NoveltySearch.Run(new Toy(), [1f, 2f], Small, 1), Throws.ArgumentException.With.Message.Contains("pixels"));
        Assert.That(() => NoveltySearch.Run(new Toy(), new float[4], Small, 1), Throws.ArgumentException.With.Message.Contains("all zero"));
        Assert.That(() => NoveltySearch.Run(new Toy(), [1f, 1f, 1f, 1f], Small with { Steps = 0 }, 1), Throws.ArgumentException.With.Message.Contains("Steps"));
    }

    [Test]
    public void HyperVaeGenerator_UsesThePosteriorMeanAndTheGeneratedDecoder()
    {
        var model = new HyperVae(new HyperVaeOptions(FactorInitStd: 0.1), new Rng(11));
        var generator = new HyperVaeGenerator(model);
        var rng = new Rng(12);
        var image = Enumerable.Range(0, 784).Select(_ => (float)rng.NextDouble()).ToArray();
        double[] z = [0.5, -1, 2, 0, 0.1, -0.3, 1.5, -2, 0.7, 0];

        var u = generator.TaskLatentOf(image);
        var generated = generator.DecoderFor(u)(z);

        using var noGrad = Tape.NoGrad();
        var mu = model.EncodeTask(Tensor.FromArray(image, 1, 784)).Mu.ToDoubleArray();
        var theta = model.Decoder.Generate(Tensor.FromArray(u.Select(v => (float)v).ToArray(), 1, 10));
        var expected = Ops.Sigmoid(ConvVaeNetwork.Decode(theta.Decoder, Tensor.FromArray(z.Select(v => (float)v).ToArray(), 1, 10))).ToFloatArray();
        Assert.That(u, Is.EqualTo(mu));
        Assert.That(generated, Is.EqualTo(expected));
        var other = generator.DecoderFor(generator.TaskLatentOf(generated))(z);
        Assert.That(other, Is.Not.EqualTo(generated), "a different u generates a different decoder");
    }
}
