using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using MathNet.Numerics;

namespace Engine.Models.HyperNet;

/// <summary>
/// The toy problem's generator (spec hypernetwork §5): z ∈ R¹ ~ U(−1, 1) → 30 → 10 → 10 → 2, tanh on
/// the hidden layers, linear output, biases on, weights and biases truncated-normal with variance
/// 6/fan_in (TF variance scaling 6; a bias's fan_in is its length). No batch norm, no gauge: an ℓ2
/// penalty on the output fixes the overall position instead. Loss (the reference's weighting):
/// −mean f(G(z)) − 2.2·Ĥ + 0.05·mean ‖G(z)‖², Ĥ the 1-D Kozachenko–Leonenko estimate with its constants.
/// </summary>
public sealed class ToyGenerator : Module
{
    public const double DiversityWeight = 2.2;
    public const double PenaltyWeight = 0.05;

    private static readonly int[] Sizes = [1, 30, 10, 10, 2];
    private readonly Tensor[] _weights;
    private readonly Tensor[] _biases;

    public ToyGenerator(Rng rng, DType dtype = DType.Float32)
    {
        _weights = new Tensor[Sizes.Length - 1];
        _biases = new Tensor[Sizes.Length - 1];
        for (var i = 0; i + 1 < Sizes.Length; i++)
        {
            var (fanIn, width) = (Sizes[i], Sizes[i + 1]);
            _weights[i] = Parameter.Create($"toy.{i}.weight", new Shape(width, fanIn), t => Init.TruncatedNormal(t, rng, Math.Sqrt(6.0 / fanIn)), dtype);
            _biases[i] = Parameter.Create($"toy.{i}.bias", new Shape(width), t => Init.TruncatedNormal(t, rng, Math.Sqrt(6.0 / width)), dtype);
        }
    }

    /// <summary>z [B, 1] → points [B, 2].</summary>
    public Tensor Forward(Tensor z)
    {
        var h = z;
        for (var i = 0; i < _weights.Length; i++)
        {
            h = Ops.Linear(h, _weights[i], _biases[i], i + 1 < _weights.Length ? Activation.Tanh : Activation.None);
        }

        return h;
    }

    /// <summary>The loss for a noise batch z [B, 1] and its three terms (mean f, Ĥ, mean ‖y‖²).</summary>
    public (Tensor Loss, double MeanScore, double Entropy) Loss(Tensor z, ToyMixtureScore target)
    {
        var y = Forward(z);
        var score = Ops.Mean(target.Forward(y));
        // Full constant for d = 1, Euclidean: −ψ(1) + log V_1 = γ + log(√π / Γ(1.5)) = γ + log 2.
        var entropy = Ops.Affine(KozachenkoLeonenko.Estimate(y, 1, EntropyMetric.L2), 1, Constants.EulerMascheroni + Math.Log(Math.Sqrt(Math.PI) / SpecialFunctions.Gamma(1.5)));
        var penalty = Ops.Mean(Ops.Sum(Ops.Square(y), 1));
        var loss = Ops.Add(Ops.Sub(Ops.Affine(penalty, PenaltyWeight), score), Ops.Affine(entropy, -DiversityWeight));
        return (loss, score.Item(), entropy.Item());
    }

    protected override IEnumerable<Tensor> OwnParameters() => [.. _weights, .. _biases];
}
