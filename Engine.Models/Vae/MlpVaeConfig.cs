namespace Engine.Models.Vae;

/// <summary>Sizes of an MLP VAE: D inputs, <see cref="HiddenLayers"/> ReLU layers of H units each side, M latents.</summary>
public sealed record MlpVaeConfig(int Inputs = 784, int Hidden = 300, int HiddenLayers = 2, int Latents = 40);
