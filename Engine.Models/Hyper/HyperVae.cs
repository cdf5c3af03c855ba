using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Vae;

namespace Engine.Models.Hyper;

/// <summary>
/// HyperVAE (Nguyen et al., seed 000): a hyper-encoder q(u|d) over one summary image d of a task,
/// a matrix hyper-decoder θ = g_γ(u) generating every weight of the conv VAE (encoder and decoder),
/// and the main VAE run functionally with θ. Trainable: only γ (hyper-encoder and hyper-decoder).
/// </summary>
public sealed class HyperVae : Module
{
    private readonly ConvEncoderWeights _hyperEncoder;

    public HyperVae(HyperVaeOptions options, Rng rng, DType dtype = DType.Float32)
    {
        Options = options;
        _hyperEncoder = ConvVae.CreateEncoderWeights(rng, options.TaskLatents, "hyper_encoder", dtype);
        Decoder = new HyperDecoder(options, rng, dtype);
    }

    public HyperVaeOptions Options { get; }

    public HyperDecoder Decoder { get; }

    /// <summary>q(u|d) for summary images d [1, 784] → (μ_u, logvar_u) [1, U].</summary>
    public (Tensor Mu, Tensor Logvar) EncodeTask(Tensor summary) => ConvVaeNetwork.Encode(_hyperEncoder, summary);

    /// <summary>
    /// The loss of one task batch x [|D|, 784] whose summary is row <paramref name="summaryIndex"/>:
    /// u ~ q(u|d) (one sample), θ = g(u), then the conv VAE with θ on every x_i (one z each, analytic KL).
    /// </summary>
    public HyperVaeTerms Loss(Tensor x, int summaryIndex, Rng rng)
    {
        var (muU, logvarU) = EncodeTask(Ops.Slice(x, 0, summaryIndex, 1));
        var u = Ops.Reparameterize(muU, logvarU, rng);
        var theta = Decoder.Generate(u);
        var (mu, logvar) = ConvVaeNetwork.Encode(theta.Encoder, x);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var reconstruction = Ops.Neg(Ops.BernoulliLogLikelihood(ConvVaeNetwork.Decode(theta.Decoder, z), x));
        var klZ = Ops.KlStandardNormal(mu, logvar);
        var klU = Ops.KlStandardNormal(muU, logvarU);
        var loss = Ops.Add(Ops.Mean(Ops.Add(reconstruction, klZ)), Ops.Affine(Ops.Sum(klU), 1.0 / x.Shape[0]));
        return new HyperVaeTerms(loss, reconstruction, klZ, klU);
    }

    /// <summary>θ(μ_u(d)): the network the model assigns to a summary image, without sampling u (evaluation).</summary>
    public ConvVaeWeights NetworkFor(Tensor summary) => Decoder.Generate(EncodeTask(summary).Mu);

    protected override IEnumerable<Tensor> OwnParameters() => _hyperEncoder.ToList();

    protected override IEnumerable<Module> Children() => [Decoder];
}
