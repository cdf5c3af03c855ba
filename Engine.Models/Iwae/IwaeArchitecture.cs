namespace Engine.Models.Iwae;

/// <summary>
/// One stochastic layer of the IWAE paper's networks (Burda et al. 2016 §5; spec vae-and-priors §8):
/// deterministic tanh layers of the given sizes, then a Gaussian layer of <paramref name="Latents"/> units.
/// </summary>
public sealed record StochasticLayer(int[] Hidden, int Latents);

/// <summary>The two architectures of the IWAE table.</summary>
public static class IwaeArchitecture
{
    /// <summary>784–200–200–50 (one stochastic layer).</summary>
    public static IReadOnlyList<StochasticLayer> OneLayer { get; } = [new([200, 200], 50)];

    /// <summary>784–[200, 200]–100–[100, 100]–50 (two stochastic layers).</summary>
    public static IReadOnlyList<StochasticLayer> TwoLayers { get; } = [new([200, 200], 100), new([100, 100], 50)];
}
