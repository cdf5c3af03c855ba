namespace Engine.Models.Vae;

/// <summary>The priors of seed 002's Table 1 plus our extra rows.</summary>
public enum PriorKind
{
    Standard,
    MixtureOfGaussians,
    VampPrior,
    VampPriorData,
}
