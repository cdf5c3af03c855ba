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
        ConvVaeWeights.FromList(Create(ConvVaeWeights.Layout(latents, hidden), rng, dtype));

    /// <summary>Trainable encoder weights (E1–E5) alone, e.g. for HyperVAE's hyper-encoder.</summary>
    public static ConvEncoderWeights CreateEncoderWeights(Rng rng, int latents, string prefix, DType dtype = DType.Float32) =>
        ConvEncoderWeights.FromList(Create(ConvEncoderWeights.Layout(latents, prefix: prefix), rng, dtype));

    /// <summary>Parameters with PyTorch's default init U(±1/√fan_in) for the given layout.</summary>
    public static IReadOnlyList<Tensor> Create(IReadOnlyList<(string Name, Shape Shape, int FanIn)> layout, Rng rng, DType dtype) =>
        layout.Select(l => Parameter.Create(l.Name, l.Shape, t => Init.PyTorchDefault(t, rng, l.FanIn), dtype)).ToList();

    /// <summary>A VAE (Bernoulli likelihood, standard prior, analytic KL) on this architecture.</summary>
    public static VariationalAutoencoder Create(Rng rng, int latents = 10, DType dtype = DType.Float32) =>
        FromWeights(CreateWeights(rng, latents, dtype: dtype));

    /// <summary>A VAE over given weights (which become its parameters if they require gradients).</summary>
    public static VariationalAutoencoder FromWeights(ConvVaeWeights weights) =>
        new(new ConvEncoder(weights.Encoder), new ConvDecoder(weights.Decoder), new BernoulliLikelihood(),
            _ => new StandardNormalPrior(weights.Encoder.MuB.Numel, weights.Encoder.MuB.DType));

    /// <summary>q(z|x) of the conv architecture over its own trainable weights.</summary>
    public sealed class ConvEncoder(ConvEncoderWeights w) : EncoderModule
    {
        public ConvEncoderWeights Weights { get; } = w;

        public override (Tensor Mu, Tensor Logvar) Encode(Tensor x) => ConvVaeNetwork.Encode(Weights, x);

        protected override IEnumerable<Tensor> OwnParameters() => Weights.ToList();
    }

    private sealed class ConvDecoder(ConvDecoderWeights w) : DecoderModule
    {
        public override Tensor Decode(Tensor z) => ConvVaeNetwork.Decode(w, z);

        protected override IEnumerable<Tensor> OwnParameters() => w.ToList();
    }
}
