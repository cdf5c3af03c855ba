using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Likelihoods;
using Engine.Models.Priors;

namespace Engine.Models.Vae;

/// <summary>
/// The conv VAE of the HyperVAE paper with ordinary trainable weights (its baselines and benchmark d):
/// an encoder and a decoder module sharing one <see cref="ConvVaeWeights"/> set, run through
/// <see cref="ConvVaeNetwork"/> — the same functions HyperVAE feeds with generated weights.
/// </summary>
public static class ConvVae
{
    public static ConvVaeWeights CreateWeights(Rng rng, int latents = 10, int hidden = 100, DType dtype = DType.Float32) =>
        ConvVaeWeights.FromList(ConvVaeWeights.Layout(latents, hidden)
            .Select(l => Parameter.Create(l.Name, l.Shape, t => Init.PyTorchDefault(t, rng, l.FanIn), dtype))
            .ToList());

    /// <summary>A VAE (Bernoulli likelihood, standard prior, analytic KL) on this architecture.</summary>
    public static VariationalAutoencoder Create(Rng rng, int latents = 10, DType dtype = DType.Float32)
    {
        var weights = CreateWeights(rng, latents, dtype: dtype);
        return new VariationalAutoencoder(new ConvEncoder(weights), new ConvDecoder(weights), new BernoulliLikelihood(), _ => new StandardNormalPrior(latents, dtype));
    }

    private sealed class ConvEncoder(ConvVaeWeights w) : EncoderModule
    {
        public override (Tensor Mu, Tensor Logvar) Encode(Tensor x) => ConvVaeNetwork.Encode(w, x);

        protected override IEnumerable<Tensor> OwnParameters() => w.ToList().Take(10);
    }

    private sealed class ConvDecoder(ConvVaeWeights w) : DecoderModule
    {
        public override Tensor Decode(Tensor z) => ConvVaeNetwork.Decode(w, z);

        protected override IEnumerable<Tensor> OwnParameters() => w.ToList().Skip(10);
    }
}
