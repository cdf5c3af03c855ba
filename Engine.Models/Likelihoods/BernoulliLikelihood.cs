using Engine.Core;

namespace Engine.Models.Likelihoods;

/// <summary>
/// Bernoulli on logits for binary (or [0, 1]) data: log p(x|l) = Σ_d x·l − softplus(l) — the stable
/// form of the references' clamped log σ (spec vae-and-priors §3).
/// </summary>
public sealed class BernoulliLikelihood : ILikelihood
{
    public int OutputsPerDimension => 1;

    public string Name => "bernoulli";

    public Tensor LogLikelihood(Tensor decoderOutput, Tensor x) => Ops.BernoulliLogLikelihood(decoderOutput, x);

    public Tensor Mean(Tensor decoderOutput) => Ops.Sigmoid(decoderOutput);
}
