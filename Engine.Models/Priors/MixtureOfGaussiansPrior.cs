using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Priors;

/// <summary>
/// p(z) = (1/K) Σ_k N(z; μ_k, diag e^{lv_k}) with trainable μ_k and lv_k (seed 002 §4.2). Init (our
/// choice, spec §Ambiguities 7): μ_k ~ N(0, 1), lv_k = 0.
/// </summary>
public sealed class MixtureOfGaussiansPrior : IPrior
{
    public MixtureOfGaussiansPrior(int components, int latents, Rng rng, DType dtype = DType.Float32)
    {
        Means = Parameter.Create("prior.means", new Shape(components, latents), t => rng.FillNormal(t), dtype);
        Logvars = Parameter.Create("prior.logvars", new Shape(components, latents), t => t.Fill(0), dtype);
    }

    public Tensor Means { get; }

    public Tensor Logvars { get; }

    public string Name => "mog";

    public Tensor LogDensity(Tensor z) => MixtureDensity.UniformMixtureLogDensity(z, Means, Logvars);

    public Tensor? AnalyticKl(Tensor mu, Tensor logvar) => null;

    public Tensor Sample(int n, Rng rng)
    {
        var k = Enumerable.Range(0, n).Select(_ => rng.NextInt(Means.Shape[0])).ToArray();
        var eps = rng.Normal(new Shape(n, Means.Shape[1]), Means.DType);
        return Ops.Reparameterize(Ops.IndexSelect(Means, 0, k), Ops.IndexSelect(Logvars, 0, k), eps);
    }

    public IEnumerable<Tensor> Parameters() => [Means, Logvars];
}
