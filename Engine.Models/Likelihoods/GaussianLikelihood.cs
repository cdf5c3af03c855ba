using Engine.Core;

namespace Engine.Models.Likelihoods;

/// <summary>
/// N(x; μ, σ²I) with the decoder output as μ and a fixed σ (spec §3, real-valued data only):
/// log p = −½ Σ_d [log 2πσ² + (x − μ)²/σ²].
/// </summary>
public sealed class GaussianLikelihood(double sigma) : ILikelihood
{
    public double Sigma { get; } = sigma > 0 ? sigma : throw new ArgumentOutOfRangeException(nameof(sigma), "σ must be positive.");

    public int OutputsPerDimension => 1;

    public string Name => $"gaussian(σ={Sigma})";

    public Tensor LogLikelihood(Tensor decoderOutput, Tensor x)
    {
        var d = decoderOutput.Shape[-1];
        var squared = Ops.Sum(Ops.Square(Ops.Sub(decoderOutput, x)), -1);
        return Ops.Affine(squared, -0.5 / (Sigma * Sigma), -0.5 * d * Math.Log(2 * Math.PI * Sigma * Sigma));
    }

    public Tensor Mean(Tensor decoderOutput) => decoderOutput;
}
