using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Meta.Demos;

/// <summary>
/// The MetaVAE "meta-compiled inference" network of the inclined-plane demo (spec metavae §9.2;
/// Le, Baydin &amp; Wood 2016 with a summary): q(μ | D, x) = N(m, e^s) where the summary h(D) is a
/// mean-MLP (2 → 2 → 2 → 2, LeakyReLU 0.2) over the set's (x, μ) pairs and (m, s) come from
/// concat(x, h(D)) through 3 → 10 → 10 → 2 (ReLU). Without a summary it is the single-simulator
/// baseline, 1 → 10 → 10 → 2. Trained by minimising E_{p(x, μ)}[−log q(μ | D, x)].
/// </summary>
public sealed class CompiledInferenceNetwork : Module
{
    private readonly MeanMlpSummary? _summary;
    private readonly Sequential _encoder;

    public CompiledInferenceNetwork(bool useSummary, Rng rng, int hidden = 10, int summary = 2, DType dtype = DType.Float32)
    {
        _summary = useSummary ? new MeanMlpSummary("summary", 2, [summary, summary, summary], rng, dtype: dtype) : null;
        _encoder = new Sequential(
            new Dense("encoder.0", 1 + (useSummary ? summary : 0), hidden, rng, Activation.Relu, dtype: dtype),
            new Dense("encoder.1", hidden, hidden, rng, Activation.Relu, dtype: dtype),
            new Dense("encoder.out", hidden, 2, rng, dtype: dtype));
    }

    public bool UsesSummary => _summary is not null;

    /// <summary>x [B, 1] and pairs [B, N, 2] (one set per row; ignored without a summary) → (mean, logvar) [B, 1].</summary>
    public (Tensor Mean, Tensor Logvar) Infer(Tensor x, Tensor? pairs)
    {
        var input = _summary is null
            ? x
            : Ops.Concat(1, x, _summary.Forward(pairs ?? throw new ArgumentException("CompiledInferenceNetwork: the meta model needs a set of (x, μ) pairs per row.")));
        var output = _encoder.Forward(input);
        return (Ops.Slice(output, 1, 0, 1), Ops.Slice(output, 1, 1, 1));
    }

    /// <summary>The compiled-inference loss −mean log q(μ | D, x) for true frictions μ [B, 1].</summary>
    public Tensor Loss(Tensor x, Tensor? pairs, Tensor friction)
    {
        var (mean, logvar) = Infer(x, pairs);
        return Ops.Neg(Ops.Mean(Ops.GaussianLogDensity(friction, mean, logvar)));
    }

    protected override IEnumerable<Module> Children() => _summary is null ? [_encoder] : [_summary, _encoder];
}
