using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Vae;

namespace Engine.Models.Meta;

/// <summary>
/// MetaVAE (Wu et al., seed 001, spec metavae §1–2): one meta-inference network q(z | D, x) shared
/// by all datasets — a summary h(D) (mean of an MLP over the set) concatenated with x, then
/// 1184 → 400 → 400 → (μ, logvar) — and one decoder p_θi(x|z) per training dataset. The MetaELBO of
/// dataset i is E_x[E_q log p_θi(x|z) − KL(q(z|D, x) ‖ N(0, I))]; with one dataset and a summary the
/// encoder ignores it is the ordinary ELBO.
/// </summary>
public sealed class MetaVae : Module
{
    private readonly MeanMlpSummary _summary;
    private readonly Sequential _aggregate;
    private readonly Dense _mu;
    private readonly Dense _logvar;
    private readonly Sequential[] _decoders;

    public MetaVae(MetaVaeOptions options, Rng rng, DType dtype = DType.Float32)
    {
        Options = options;
        var h = options.Hidden;
        _summary = new MeanMlpSummary("summary", options.Inputs, [options.Inputs, h, h], rng, options.SummaryDivideByBatch, dtype);
        _aggregate = new Sequential(
            new Dense("aggregate.0", options.Inputs + h, h, rng, Activation.Relu, dtype: dtype),
            new Dense("aggregate.1", h, h, rng, Activation.Relu, dtype: dtype));
        _mu = new Dense("aggregate.mu", h, options.Latents, rng, dtype: dtype);
        _logvar = new Dense("aggregate.logvar", h, options.Latents, rng, dtype: dtype);
        _decoders = Enumerable.Range(0, options.Datasets)
            .Select(i => new Sequential(
                new Dense($"decoder{i}.0", options.Latents, h, rng, Activation.Relu, dtype: dtype),
                new Dense($"decoder{i}.1", h, h, rng, Activation.Relu, dtype: dtype),
                new Dense($"decoder{i}.logits", h, options.Inputs, rng, dtype: dtype)))
            .ToArray();
    }

    public MetaVaeOptions Options { get; }

    /// <summary>q(z | D, x): x [B, D] with one context set per row, sets [B, N, D] → (μ, logvar) [B, M].</summary>
    public (Tensor Mu, Tensor Logvar) Encode(Tensor x, Tensor sets)
    {
        var joint = Ops.Concat(1, x, _summary.Forward(sets));
        var h = _aggregate.Forward(joint);
        return (_mu.Forward(h), _logvar.Forward(h));
    }

    /// <summary>Bernoulli logits of decoder <paramref name="dataset"/> for z [..., M].</summary>
    public Tensor Decode(Tensor z, int dataset) => _decoders[CheckDataset(dataset)].Forward(z);

    /// <summary>The negative MetaELBO of a batch of dataset <paramref name="dataset"/> (one z per datum, analytic KL).</summary>
    public ElboTerms Loss(Tensor x, Tensor sets, int dataset, Rng rng)
    {
        var (mu, logvar) = Encode(x, sets);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var reconstruction = Ops.Neg(Ops.BernoulliLogLikelihood(Decode(z, dataset), x));
        var kl = Ops.KlStandardNormal(mu, logvar);
        return new ElboTerms(Ops.Mean(Ops.Add(reconstruction, kl)), reconstruction, kl);
    }

    /// <summary>The representation used downstream: μ_z(D, x).</summary>
    public Tensor Embed(Tensor x, Tensor sets) => Encode(x, sets).Mu;

    protected override IEnumerable<Module> Children() => [_summary, _aggregate, _mu, _logvar, .. _decoders];

    private int CheckDataset(int dataset) => (uint)dataset < (uint)_decoders.Length
        ? dataset
        : throw new ArgumentOutOfRangeException(nameof(dataset), $"MetaVAE has {_decoders.Length} decoders; dataset {dataset} does not exist.");
}
