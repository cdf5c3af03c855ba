using Engine.Core;

namespace Engine.Models.Priors;

/// <summary>A prior p(z) over M latents.</summary>
public interface IPrior
{
    string Name { get; }

    /// <summary>log p(z) summed over the last axis: z [..., M] → [...].</summary>
    Tensor LogDensity(Tensor z);

    /// <summary>KL(N(μ, e^logvar) ‖ p) in closed form per datum, or null when the prior has none (mixtures).</summary>
    Tensor? AnalyticKl(Tensor mu, Tensor logvar);

    /// <summary>n samples z ~ p(z): [n, M].</summary>
    Tensor Sample(int n, Rng rng);

    /// <summary>Trainable parameters of the prior itself (pseudo-inputs, mixture means…), none for N(0, I).</summary>
    IEnumerable<Tensor> Parameters();
}
