using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Vae;

namespace Engine.Models.Meta;

/// <summary>
/// The MetaVAE baseline of the HyperVAE experiments (spec hypervae §9): conv features (E1–E2, flatten
/// 3136) for x and for each element of a summary set D; summary = mean over D of an MLP
/// (3136 → 400 → 400, LeakyReLU 0.2); inference on concat(features(x), summary) → 100 (ReLU) → (μ_z,
/// logvar_z); one conv decoder (D1–D4) per task. Loss per task batch: the negative ELBO through the
/// task's decoder (analytic KL).
/// </summary>
public sealed class ConvMetaVae : Module
{
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly MeanMlpSummary _summary;
    private readonly Dense _hidden;
    private readonly Dense _mu;
    private readonly Dense _logvar;
    private readonly ConvDecoderWeights[] _decoders;

    public ConvMetaVae(int tasks, Rng rng, int latents = 10, DType dtype = DType.Float32)
    {
        _conv1 = new Conv2d("encoder.conv1", 1, 32, 3, rng, stride: 2, padding: 1, dtype: dtype);
        _conv2 = new Conv2d("encoder.conv2", 32, 64, 3, rng, stride: 2, padding: 1, dtype: dtype);
        _summary = new MeanMlpSummary("summary", 3136, [400, 400], rng, dtype: dtype);
        _hidden = new Dense("encoder.fc", 3136 + 400, 100, rng, Activation.Relu, dtype: dtype);
        _mu = new Dense("encoder.mu", 100, latents, rng, dtype: dtype);
        _logvar = new Dense("encoder.logvar", 100, latents, rng, dtype: dtype);
        _decoders = Enumerable.Range(0, tasks)
            .Select(t => ConvDecoderWeights.FromList(ConvVae.Create(
                ConvDecoderWeights.Layout(latents).Select(l => (l.Name.Replace("decoder.", $"decoder{t}."), l.Shape, l.FanIn)).ToList(), rng, dtype)))
            .ToArray();
    }

    public int Tasks => _decoders.Length;

    /// <summary>
    /// q(z | D, x): x [B, 784] with sets [B, N, 784] (one set per datum) or [N, 784] (one set shared
    /// by the whole batch, summarised once) → (μ, logvar) [B, M].
    /// </summary>
    public (Tensor Mu, Tensor Logvar) Encode(Tensor x, Tensor sets)
    {
        var shared = sets.Rank == 2;
        int b = shared ? 1 : sets.Shape[0], n = shared ? sets.Shape[0] : sets.Shape[1];
        var setFeatures = Ops.Reshape(Features(Ops.Reshape(sets, b * n, 784)), b, n, 3136);
        var summary = _summary.Forward(setFeatures);
        if (shared)
        {
            summary = Ops.Add(summary, Tensor.Zeros(new Shape(x.Shape[0], summary.Shape[1]), x.DType, x.Backend));
        }

        var joint = Ops.Concat(1, Features(x), summary);
        var h = _hidden.Forward(joint);
        return (_mu.Forward(h), _logvar.Forward(h));
    }

    /// <summary>Bernoulli logits of task <paramref name="task"/>'s decoder.</summary>
    public Tensor Decode(Tensor z, int task) => ConvVaeNetwork.Decode(_decoders[task], z);

    /// <summary>Per-datum reconstruction and KL under task <paramref name="task"/>'s decoder, one z each.</summary>
    public ElboTerms Elbo(Tensor x, Tensor sets, int task, Rng rng)
    {
        var (mu, logvar) = Encode(x, sets);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var reconstruction = Ops.Neg(Ops.BernoulliLogLikelihood(Decode(z, task), x));
        var kl = Ops.KlStandardNormal(mu, logvar);
        return new ElboTerms(Ops.Mean(Ops.Add(reconstruction, kl)), reconstruction, kl);
    }

    /// <summary>Parameters of the shared inference network (everything but the decoders).</summary>
    public long InferenceParameterCount() => ParameterCount() - _decoders.Sum(d => d.ToList().Sum(t => (long)t.Numel));

    private Tensor Features(Tensor x)
    {
        var h = _conv1.Forward(Ops.Reshape(x, -1, 1, 28, 28), relu: true);
        return Ops.Flatten(_conv2.Forward(h, relu: true));
    }

    protected override IEnumerable<Tensor> OwnParameters() => _decoders.SelectMany(d => d.ToList());

    protected override IEnumerable<Module> Children() => [_conv1, _conv2, _summary, _hidden, _mu, _logvar];
}
