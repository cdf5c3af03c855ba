using Engine.Core;
using Engine.Kernels;

namespace Engine.Models.Priors;

/// <summary>p(z) = N(0, I); the only prior here with an analytic KL to a diagonal Gaussian.</summary>
public sealed class StandardNormalPrior(int latents, DType dtype = DType.Float32) : IPrior
{
    public string Name => "standard";

    public Tensor LogDensity(Tensor z) => Ops.StandardNormalLogDensity(z);

    public Tensor? AnalyticKl(Tensor mu, Tensor logvar) => Ops.KlStandardNormal(mu, logvar);

    public Tensor Sample(int n, Rng rng) => rng.Normal(new Shape(n, latents), dtype);

    public IEnumerable<Tensor> Parameters() => [];
}
