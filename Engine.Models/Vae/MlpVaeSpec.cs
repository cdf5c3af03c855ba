using Engine.Models.Likelihoods;

namespace Engine.Models.Vae;

/// <summary>
/// Everything that defines an MLP VAE of the VampPrior family (spec vae-and-priors §4.1, §5).
/// <paramref name="Gated"/>: the reference's gated dense layers (He init) vs plain ReLU layers
/// (PyTorch init, seed 002's description). <paramref name="PseudoInputData"/>: K training images for
/// VampPrior-data, row-major [K, D].
/// </summary>
public sealed record MlpVaeSpec(
    int Inputs,
    int Hidden = 300,
    int HiddenLayers = 2,
    int Latents = 40,
    bool Gated = true,
    PriorKind Prior = PriorKind.Standard,
    int Components = 500,
    double PseudoInputMean = 0.05,
    double PseudoInputStd = 0.01,
    bool TrainPseudoInputData = false,
    (double Low, double High)? LogvarClamp = null,
    ILikelihood? Likelihood = null,
    float[]? PseudoInputData = null);
