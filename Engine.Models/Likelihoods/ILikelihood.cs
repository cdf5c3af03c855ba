using Engine.Core;

namespace Engine.Models.Likelihoods;

/// <summary>p(x | decoder output): how many decoder outputs each pixel needs and the log-likelihood.</summary>
public interface ILikelihood
{
    /// <summary>Decoder outputs per data dimension (1 for Bernoulli logits, 2 for mean + log-scale).</summary>
    int OutputsPerDimension { get; }

    string Name { get; }

    /// <summary>log p(x | out) summed over the data axis: out [..., k·D], x [B, D] (leading axes of out repeat x) → [...].</summary>
    Tensor LogLikelihood(Tensor decoderOutput, Tensor x);

    /// <summary>The distribution's mean, for reconstruction and sample grids: [..., k·D] → [..., D].</summary>
    Tensor Mean(Tensor decoderOutput);
}
