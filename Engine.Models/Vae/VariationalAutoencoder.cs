using Engine.Core;
using Engine.Core.Nn;
using Engine.Models.Likelihoods;
using Engine.Models.Priors;

namespace Engine.Models.Vae;

/// <summary>
/// A one-level VAE with pluggable encoder, decoder, likelihood and prior (spec vae-and-priors §1–5):
/// −ELBO(x) = −log p(x|z) + β·KL(q(z|x) ‖ p(z)), z = μ + e^{½logvar}⊙ε. The same log-weights
/// log w = log p(x|z) + log p(z) − log q(z|x) give the IWAE bound and the importance-sampled
/// log-likelihood.
/// </summary>
public sealed class VariationalAutoencoder : Module
{
    public VariationalAutoencoder(EncoderModule encoder, DecoderModule decoder, ILikelihood likelihood, Func<EncoderModule, IPrior> prior)
    {
        Encoder = encoder;
        Decoder = decoder;
        Likelihood = likelihood;
        Prior = prior(encoder);
    }

    public EncoderModule Encoder { get; }

    public DecoderModule Decoder { get; }

    public ILikelihood Likelihood { get; }

    public IPrior Prior { get; }

    /// <summary>An optional normalising flow on the posterior sample (spec §10); the KL is then sampled.</summary>
    public Engine.Models.Flows.IFlow? Flow { get; init; }

    /// <summary>The negative ELBO of x [B, D] with one z per datum; <paramref name="beta"/> weighs the KL (warm-up).</summary>
    public ElboTerms Elbo(Tensor x, Rng rng, double beta = 1, KlMode mode = KlMode.Auto)
    {
        if (Flow is not null)
        {
            var (reconstruction0, kl0) = FlowTerms(x, rng, 0);
            var perDatum0 = Ops.Add(reconstruction0, beta == 1 ? kl0 : Ops.Affine(kl0, beta));
            return new ElboTerms(Ops.Mean(perDatum0), reconstruction0, kl0);
        }

        var (mu, logvar) = Encoder.Encode(x);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var reconstruction = Ops.Neg(Likelihood.LogLikelihood(Decoder.Decode(z), x));
        var analytic = mode == KlMode.Sampled ? null : Prior.AnalyticKl(mu, logvar);
        if (mode == KlMode.Analytic && analytic is null)
        {
            throw new InvalidOperationException($"The {Prior.Name} prior has no analytic KL; use KlMode.Sampled or Auto.");
        }

        var kl = analytic ?? Ops.Sub(Ops.GaussianLogDensity(z, mu, logvar), Prior.LogDensity(z));
        var perDatum = beta == 1 ? Ops.Add(reconstruction, kl) : Ops.Add(reconstruction, Ops.Affine(kl, beta));
        return new ElboTerms(Ops.Mean(perDatum), reconstruction, kl);
    }

    /// <summary>log w [B, S] for S samples z_s ~ q(z|x) per datum (recorded if a tape is on).</summary>
    public Tensor LogWeights(Tensor x, Rng rng, int samples)
    {
        if (Flow is not null)
        {
            var (reconstruction, kl) = FlowTerms(x, rng, samples);
            return Ops.Transpose(Ops.Neg(Ops.Add(reconstruction, kl)));
        }

        var (mu, logvar) = Encoder.Encode(x);
        return LogWeights(x, mu, logvar, rng, samples);
    }

    /// <summary>
    /// With a flow: z₀ ~ q₀(z|x), z_K = f(z₀), log q(z_K|x) = log q₀(z₀) − log|det|; returns the
    /// reconstruction −log p(x|z_K) and the sampled KL log q(z_K|x) − log p(z_K) ([S, B] or [B]).
    /// </summary>
    private (Tensor Reconstruction, Tensor Kl) FlowTerms(Tensor x, Rng rng, int samples)
    {
        var (mu, logvar, context) = Encoder.EncodeWithContext(x);
        var z0 = Ops.Reparameterize(mu, logvar, rng, samples);
        var (zK, logdet) = Flow!.Forward(z0, context);
        var reconstruction = Ops.Neg(Likelihood.LogLikelihood(Decoder.Decode(zK), x));
        var logQ = Ops.Sub(Ops.GaussianLogDensity(z0, mu, logvar), logdet);
        return (reconstruction, Ops.Sub(logQ, Prior.LogDensity(zK)));
    }

    /// <summary>log w [B, S] given the encoder's output for x (so chunks of samples share one encoder pass).</summary>
    public Tensor LogWeights(Tensor x, Tensor mu, Tensor logvar, Rng rng, int samples)
    {
        var z = Ops.Reparameterize(mu, logvar, rng, samples);                     // [S, B, M]
        var logPx = Likelihood.LogLikelihood(Decoder.Decode(z), x);               // [S, B]
        var logW = Ops.Sub(Ops.Add(logPx, Prior.LogDensity(z)), Ops.GaussianLogDensity(z, mu, logvar));
        return Ops.Transpose(logW);                                                 // [B, S]
    }

    /// <summary>
    /// The IWAE loss −mean_b L_k(x_b), L_k = log (1/k) Σ_i w_i (Burda et al. 2016, eq. 8); its gradient
    /// is Σ_i w̃_i ∇log w_i through the fused log-mean-exp weights. k = 1 is the sampled-KL ELBO.
    /// </summary>
    public Tensor IwaeLoss(Tensor x, Rng rng, int k) => Ops.Neg(Ops.Mean(Ops.LogMeanExpWeights(LogWeights(x, rng, k), out _)));

    /// <summary>The "VAE with k samples" baseline: −mean_b (1/k) Σ_i log w_i (gradient weights 1/k).</summary>
    public Tensor MultiSampleElboLoss(Tensor x, Rng rng, int k) => Ops.Neg(Ops.Mean(LogWeights(x, rng, k)));

    protected override IEnumerable<Tensor> OwnParameters() => Prior.Parameters().Concat(Flow?.Parameters() ?? []);

    protected override IEnumerable<Module> Children() => [Encoder, Decoder];
}
