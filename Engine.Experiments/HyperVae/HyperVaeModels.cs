using Engine.Core;
using Engine.Core.Nn;
using Engine.Core.Optim;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using Engine.Models.Hyper;
using Engine.Models.Hyper.Novelty;
using Engine.Models.Meta;
using Engine.Models.Vae;

namespace Engine.Experiments.HyperVae;

/// <summary>
/// The three models of the HyperVAE tables behind one interface: how they train (pooled batches for
/// the VAE, one-class task batches for HyperVAE and MetaVAE) and how they score a test image.
/// </summary>
public abstract class HyperVaeModel
{
    public abstract Module Module { get; }

    public abstract string Name { get; }

    /// <summary>One training step's loss on a batch drawn by the model's own sampler.</summary>
    public abstract Tensor Step(ImageSet train, long step, Rng rng);

    /// <summary>
    /// For test images x [B, 784] of one task (class <paramref name="task"/>; <paramref name="summary"/> a test
    /// example of that class): per-image reconstruction −E log p(x|z) (over <paramref name="samples"/> z), KL(z), and KL(u) (0 if none).
    /// </summary>
    public abstract (double[] Reconstruction, double[] Kl, double KlU) Evaluate(Tensor x, Tensor summary, int task, Rng rng, int samples);

    /// <summary>log w [B, S] for IS-NLL with the task's network.</summary>
    public abstract Tensor LogWeights(Tensor x, Tensor summary, int task, Rng rng, int samples);

    /// <summary>Outlier scores (higher = more anomalous) of images x [B, 784] without a task label: one or more named scores.</summary>
    public abstract IReadOnlyDictionary<string, double[]> OutlierScores(Tensor x, Rng rng, int samples);

    /// <summary>The trained model as an image generator for novelty discovery (spec §10 compares HyperVAE with the VAE only).</summary>
    public virtual INoveltyGenerator NoveltyGenerator() =>
        throw new NotSupportedException($"{Name} has no single generator to search by Bayesian optimisation; novelty discovery uses the VAE and HyperVAE.");

    public static HyperVaeModel Create(string name, int classes, Rng rng) => name switch
    {
        "vae" => new PooledVae(rng),
        "hypervae" => new HyperVaeRow(rng),
        _ => new MetaVaeRow(classes, rng),
    };

    /// <summary>(reconstruction, KL) per image averaged over z samples, from encode + decode functions.</summary>
    protected static (double[] Reconstruction, double[] Kl) Terms(Tensor x, Tensor mu, Tensor logvar, Func<Tensor, Tensor> decode, Rng rng, int samples)
    {
        var b = x.Shape[0];
        var reconstruction = new double[b];
        for (var s = 0; s < samples; s++)
        {
            var z = Ops.Reparameterize(mu, logvar, rng);
            var r = Ops.Neg(Ops.BernoulliLogLikelihood(decode(z), x)).ToDoubleArray();
            for (var i = 0; i < b; i++)
            {
                reconstruction[i] += r[i] / samples;
            }
        }

        return (reconstruction, Ops.KlStandardNormal(mu, logvar).ToDoubleArray());
    }

    protected static Tensor LogWeights(Tensor x, Tensor mu, Tensor logvar, Func<Tensor, Tensor> decode, Rng rng, int samples)
    {
        var z = Ops.Reparameterize(mu, logvar, rng, samples);
        var logW = Ops.Sub(Ops.Add(Ops.BernoulliLogLikelihood(decode(z), x), Ops.StandardNormalLogDensity(z)), Ops.GaussianLogDensity(z, mu, logvar));
        return Ops.Transpose(logW);
    }

    /// <summary>The rows <paramref name="indices"/> of <paramref name="images"/> as a [n, D] tensor.</summary>
    internal static Tensor Gather(ImageSet images, int[] indices)
    {
        var pixels = new float[indices.Length * images.Dim];
        ShuffledBatches.Gather(images, indices, pixels);
        return Tensor.FromArray(pixels, indices.Length, images.Dim);
    }

    /// <summary>The VAE baseline: the conv VAE on pooled random batches.</summary>
    private sealed class PooledVae(Rng rng) : HyperVaeModel
    {
        private readonly VariationalAutoencoder _vae = ConvVae.Create(rng.Fork(1));

        public override Module Module => _vae;

        public override string Name => "vae";

        public override Tensor Step(ImageSet train, long step, Rng rng)
        {
            var draw = rng.Fork((ulong)step);
            var indices = Enumerable.Range(0, 100).Select(_ => draw.NextInt(train.Count)).ToArray();
            return _vae.Elbo(Gather(train, indices), draw).Loss;
        }

        public override (double[] Reconstruction, double[] Kl, double KlU) Evaluate(Tensor x, Tensor summary, int task, Rng rng, int samples)
        {
            var (mu, logvar) = _vae.Encoder.Encode(x);
            var (r, kl) = Terms(x, mu, logvar, _vae.Decoder.Decode, rng, samples);
            return (r, kl, 0);
        }

        public override Tensor LogWeights(Tensor x, Tensor summary, int task, Rng rng, int samples) => _vae.LogWeights(x, rng, samples);

        public override INoveltyGenerator NoveltyGenerator() => new VaeGenerator(_vae.Decoder.Decode, 10);

        public override IReadOnlyDictionary<string, double[]> OutlierScores(Tensor x, Rng rng, int samples)
        {
            var (r, kl, _) = Evaluate(x, x, 0, rng, samples);
            return new Dictionary<string, double[]> { ["vae"] = r.Zip(kl, (a, b) => a + b).ToArray() };
        }
    }

    /// <summary>HyperVAE: one-class task batches, the summary a random element of the batch.</summary>
    private sealed class HyperVaeRow(Rng rng) : HyperVaeModel
    {
        private readonly Engine.Models.Hyper.HyperVae _model = new(new HyperVaeOptions(), rng.Fork(1));
        private ClassBatchSampler? _sampler;

        public override Module Module => _model;

        public override string Name => "hypervae";

        public override Tensor Step(ImageSet train, long step, Rng rng)
        {
            _sampler ??= new ClassBatchSampler(train.Labels, 100, rng.Fork(2));
            var batch = _sampler.Step(step);
            return _model.Loss(Gather(train, batch.Indices), batch.SummaryPosition, rng.Fork(3).Fork((ulong)step)).Loss;
        }

        public override (double[] Reconstruction, double[] Kl, double KlU) Evaluate(Tensor x, Tensor summary, int task, Rng rng, int samples)
        {
            var (muU, logvarU) = _model.EncodeTask(summary);
            var theta = _model.Decoder.Generate(muU);
            var (mu, logvar) = ConvVaeNetwork.Encode(theta.Encoder, x);
            var (r, kl) = Terms(x, mu, logvar, z => ConvVaeNetwork.Decode(theta.Decoder, z), rng, samples);
            return (r, kl, Ops.KlStandardNormal(muU, logvarU).Item());
        }

        public override Tensor LogWeights(Tensor x, Tensor summary, int task, Rng rng, int samples)
        {
            var theta = _model.NetworkFor(summary);
            var (mu, logvar) = ConvVaeNetwork.Encode(theta.Encoder, x);
            return LogWeights(x, mu, logvar, z => ConvVaeNetwork.Decode(theta.Decoder, z), rng, samples);
        }

        public override INoveltyGenerator NoveltyGenerator() => new HyperVaeGenerator(_model);

        public override IReadOnlyDictionary<string, double[]> OutlierScores(Tensor x, Rng rng, int samples)
        {
            // Each test point is its own summary: u = μ(x), θ = g(u), score = −ELBO(x) under θ.
            var scores = new double[x.Shape[0]];
            for (var i = 0; i < scores.Length; i++)
            {
                using var scope = new TensorScope();
                var xi = Ops.Slice(x, 0, i, 1);
                var (r, kl, _) = Evaluate(xi, xi, 0, rng, samples);
                scores[i] = r[0] + kl[0];
            }

            return new Dictionary<string, double[]> { ["hypervae"] = scores };
        }
    }

    /// <summary>MetaVAE: one-class task batches, a shared 10-image set of the class as D, one decoder per class.</summary>
    private sealed class MetaVaeRow(int classes, Rng rng) : HyperVaeModel
    {
        private readonly ConvMetaVae _model = new(classes, rng.Fork(1));
        private ClassBatchSampler? _sampler;

        public override Module Module => _model;

        public override string Name => "metavae";

        public override Tensor Step(ImageSet train, long step, Rng rng)
        {
            _sampler ??= new ClassBatchSampler(train.Labels, 100, rng.Fork(2));
            var batch = _sampler.Step(step);
            var draw = rng.Fork(3).Fork((ulong)step);
            var members = _sampler.Members(batch.Class);
            var set = Gather(train, Enumerable.Range(0, 10).Select(_ => members[draw.NextInt(members.Count)]).ToArray());
            return _model.Elbo(Gather(train, batch.Indices), set, batch.Class, draw).Loss;
        }

        public override (double[] Reconstruction, double[] Kl, double KlU) Evaluate(Tensor x, Tensor summary, int task, Rng rng, int samples)
        {
            var (mu, logvar) = _model.Encode(x, summary);
            var (r, kl) = Terms(x, mu, logvar, z => _model.Decode(z, task), rng, samples);
            return (r, kl, 0);
        }

        public override Tensor LogWeights(Tensor x, Tensor summary, int task, Rng rng, int samples)
        {
            var (mu, logvar) = _model.Encode(x, summary);
            return LogWeights(x, mu, logvar, z => _model.Decode(z, task), rng, samples);
        }

        public override IReadOnlyDictionary<string, double[]> OutlierScores(Tensor x, Rng rng, int samples)
        {
            // No task at test time: D = the point itself repeated 10 times (spec §7 choice). The
            // encoder needs each image's own set, so it runs per image; every decoder then scores the
            // whole chunk in one batch (per image it made [10, …] batches: 50 Omniglot decoders × 6,250
            // images took most of a default table3 run).
            var b = x.Shape[0];
            var mus = new Tensor[b];
            var logvars = new Tensor[b];
            for (var i = 0; i < b; i++)
            {
                var xi = Ops.Slice(x, 0, i, 1);
                var set = Ops.Reshape(Ops.Concat(0, Enumerable.Repeat(xi, 10).ToArray()), 10, 784);
                (mus[i], logvars[i]) = _model.Encode(xi, set);
            }

            var mu = Ops.Concat(0, mus);
            var logvar = Ops.Concat(0, logvars);
            var kl = Ops.KlStandardNormal(mu, logvar).ToDoubleArray();
            var negElbo = new double[b];
            for (var t = 0; t < _model.Tasks; t++)
            {
                using var scope = new TensorScope();
                var (r, _) = Terms(x, mu, logvar, z => _model.Decode(z, t), rng, samples);
                for (var i = 0; i < b; i++)
                {
                    negElbo[i] += (r[i] + kl[i]) / _model.Tasks;
                }
            }

            return new Dictionary<string, double[]> { ["metavae-kl"] = kl, ["metavae-el"] = negElbo };
        }
    }
}
