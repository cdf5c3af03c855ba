using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Vae;

/// <summary>
/// The VAE of Kingma &amp; Welling (2014) with MLP encoder and decoder, a Bernoulli likelihood on
/// logits and the standard Gaussian prior (spec vae-and-priors §1–4; benchmark b):
/// q(z|x) = N(μ(x), diag e^{logvar(x)}), p(x|z) = Bernoulli(σ(f(z))), p(z) = N(0, I).
/// −ELBO(x) = −log p(x|z) + KL(q(z|x) ‖ p(z)) with one reparameterised z and the analytic KL.
/// </summary>
public sealed class MlpVae : Module
{
    private readonly Sequential _encoder;
    private readonly Dense _mu;
    private readonly Dense _logvar;
    private readonly Sequential _decoder;

    public MlpVae(MlpVaeConfig config, Rng rng, DType dtype = DType.Float32)
    {
        Config = config;
        _encoder = Stack("encoder", config.Inputs, config.Hidden, config.HiddenLayers, rng, dtype);
        _mu = new Dense("encoder.mu", config.Hidden, config.Latents, rng, dtype: dtype);
        _logvar = new Dense("encoder.logvar", config.Hidden, config.Latents, rng, dtype: dtype);
        var decoderLayers = Stack("decoder", config.Latents, config.Hidden, config.HiddenLayers, rng, dtype).Layers
            .Append(new Dense("decoder.logits", config.Hidden, config.Inputs, rng, dtype: dtype)).ToArray();
        _decoder = new Sequential(decoderLayers);
    }

    public MlpVaeConfig Config { get; }

    /// <summary>x [B, D] → (μ, logvar) [B, M].</summary>
    public (Tensor Mu, Tensor Logvar) Encode(Tensor x)
    {
        var h = _encoder.Forward(x);
        return (_mu.Forward(h), _logvar.Forward(h));
    }

    /// <summary>z [..., M] → Bernoulli logits [..., D].</summary>
    public Tensor Decode(Tensor z) => _decoder.Forward(z);

    /// <summary>The negative ELBO of a batch x [B, D] with values in [0, 1], one z sample per datum.</summary>
    public ElboTerms Elbo(Tensor x, Rng rng)
    {
        var (mu, logvar) = Encode(x);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var reconstruction = Ops.Neg(Ops.BernoulliLogLikelihood(Decode(z), x));
        var kl = Ops.KlStandardNormal(mu, logvar);
        return new ElboTerms(Ops.Mean(Ops.Add(reconstruction, kl)), reconstruction, kl);
    }

    /// <summary>
    /// Importance-sampled log p(x) ≈ log (1/S) Σ_s p(x|z_s) p(z_s) / q(z_s|x), z_s ~ q(z|x), per datum
    /// of x [B, D]; samples are decoded in chunks of <paramref name="chunk"/>. Run without a tape.
    /// </summary>
    public double[] ImportanceSampledLogLikelihood(Tensor x, Rng rng, int samples, int chunk = 500)
    {
        var (mu, logvar) = Encode(x);
        var batch = x.Shape[0];
        var logw = new double[batch * samples];
        for (var start = 0; start < samples; start += chunk)
        {
            using var scope = new TensorScope();
            var s = Math.Min(chunk, samples - start);
            var values = LogWeights(x, mu, logvar, rng, s).ToDoubleArray(); // [s, B]
            for (var i = 0; i < s; i++)
            {
                for (var b = 0; b < batch; b++)
                {
                    logw[b * samples + start + i] = values[i * batch + b];
                }
            }
        }

        return Enumerable.Range(0, batch).Select(b => Bounds.ImportanceSampling.LogMeanExp(logw.AsSpan(b * samples, samples))).ToArray();
    }

    /// <summary>
    /// log w_s = log p(x|z_s) + log p(z_s) − log q(z_s|x) [samples, B] for fresh z_s ~ q(z|x) [samples, B, M], given
    /// x [B, D] and its encoding (μ, logvar) [B, M]: a caller that encodes a batch once can decode each datum's
    /// samples on their own.
    /// </summary>
    public Tensor LogWeights(Tensor x, Tensor mu, Tensor logvar, Rng rng, int samples)
    {
        var z = Ops.Reparameterize(mu, logvar, rng, samples); // [s, B, M]
        var logPx = Ops.BernoulliLogLikelihood(Decode(z), x); // [s, B]
        var logPz = Ops.StandardNormalLogDensity(z);
        var logQz = Ops.GaussianLogDensity(z, mu, logvar);
        return Ops.Sub(Ops.Add(logPx, logPz), logQz);
    }

    protected override IEnumerable<Module> Children() => [_encoder, _mu, _logvar, _decoder];

    private static Sequential Stack(string name, int inputs, int hidden, int layers, Rng rng, DType dtype) =>
        new(Enumerable.Range(0, layers)
            .Select(i => (Layer)new Dense($"{name}.{i}", i == 0 ? inputs : hidden, hidden, rng, Activation.Relu, dtype: dtype))
            .ToArray());
}
