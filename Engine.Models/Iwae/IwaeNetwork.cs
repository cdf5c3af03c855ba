using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Iwae;

/// <summary>
/// The IWAE paper's stacked model (spec vae-and-priors §8): q(h1|x) q(h2|h1)…, p(h_L) = N(0, I),
/// p(h_{l}|h_{l+1}) Gaussian, p(x|h1) Bernoulli; every deterministic layer tanh, Gaussian layers give
/// μ (linear) and σ = exp(linear) (so logvar = 2·linear), weights Glorot-uniform, biases 0, the
/// output bias logit(clip(mean pixel, 0.001, 0.999)).
/// log w = log p(x|h1) + Σ_l log p(h_l|h_{l+1}) + log p(h_L) − Σ_l log q(h_l|h_{l−1}).
/// </summary>
public sealed class IwaeNetwork : Module
{
    private readonly (Sequential Trunk, Dense Mu, Dense LogStd)[] _encoder;
    private readonly (Sequential Trunk, Dense Mu, Dense LogStd)[] _decoder; // decoder[l] gives p(h_l | h_{l+1}) for l ≥ 1
    private readonly Sequential _output;

    public IwaeNetwork(int inputs, IReadOnlyList<StochasticLayer> layers, Rng rng, float[]? meanPixel = null, DType dtype = DType.Float32)
    {
        Layers = layers;
        Dense Linear(string name, int i, int o, Activation a = Activation.None) =>
            new(name, i, o, rng, a, dtype: dtype, init: Init.GlorotUniform);
        Sequential Tanh(string name, int inSize, int[] sizes) =>
            new(sizes.Select((s, i) => (Layer)Linear($"{name}.{i}", i == 0 ? inSize : sizes[i - 1], s, Activation.Tanh)).ToArray());

        var encoder = new List<(Sequential, Dense, Dense)>();
        var size = inputs;
        for (var l = 0; l < layers.Count; l++)
        {
            var hidden = layers[l].Hidden;
            encoder.Add((Tanh($"q{l + 1}", size, hidden), Linear($"q{l + 1}.mu", hidden[^1], layers[l].Latents), Linear($"q{l + 1}.logstd", hidden[^1], layers[l].Latents)));
            size = layers[l].Latents;
        }

        _encoder = [.. encoder];
        // p(h_l | h_{l+1}) mirrors q(h_{l+1} | h_l): hidden sizes reversed.
        var decoder = new List<(Sequential, Dense, Dense)>();
        for (var l = 1; l < layers.Count; l++)
        {
            var hidden = layers[l].Hidden.Reverse().ToArray();
            decoder.Add((Tanh($"p{l}", layers[l].Latents, hidden), Linear($"p{l}.mu", hidden[^1], layers[l - 1].Latents), Linear($"p{l}.logstd", hidden[^1], layers[l - 1].Latents)));
        }

        _decoder = [.. decoder];
        var first = layers[0].Hidden.Reverse().ToArray();
        var logits = Linear("px.logits", first[^1], inputs);
        _output = new Sequential([.. Tanh("px", layers[0].Latents, first).Layers, logits]);
        foreach (var bias in Parameters().Where(p => p.Name?.EndsWith(".bias", StringComparison.Ordinal) == true))
        {
            bias.Fill(0);
        }

        if (meanPixel is not null)
        {
            logits.Bias!.CopyFrom(Tensor.FromSpan<float>(meanPixel.Select(p => (float)Math.Log(Math.Clamp(p, 0.001, 0.999) / (1 - Math.Clamp(p, 0.001, 0.999)))).ToArray(), new Shape(inputs)).To(dtype));
        }
    }

    public IReadOnlyList<StochasticLayer> Layers { get; }

    /// <summary>log w [B, k] for k samples of the whole stack per datum of x [B, D].</summary>
    public Tensor LogWeights(Tensor x, Rng rng, int k)
    {
        var (samples, logQ) = SamplePosterior(x, rng, k);
        var logP = Ops.StandardNormalLogDensity(samples[^1]);
        for (var l = samples.Length - 2; l >= 0; l--)
        {
            var (mu, logvar) = Gaussian(_decoder[l], samples[l + 1]);
            logP = Ops.Add(logP, Ops.GaussianLogDensity(samples[l], mu, logvar));
        }

        logP = Ops.Add(logP, Ops.BernoulliLogLikelihood(_output.Forward(samples[0]), x));
        return Ops.Transpose(Ops.Sub(logP, logQ));
    }

    /// <summary>The IWAE loss −mean_b log (1/k) Σ_i w_i (the gradient weights are the normalised w̃_i).</summary>
    public Tensor IwaeLoss(Tensor x, Rng rng, int k) => Ops.Neg(Ops.Mean(Ops.LogMeanExpWeights(LogWeights(x, rng, k), out _)));

    /// <summary>The VAE-with-k-samples loss −mean_b (1/k) Σ_i log w_i.</summary>
    public Tensor VaeLoss(Tensor x, Rng rng, int k) => Ops.Neg(Ops.Mean(LogWeights(x, rng, k)));

    /// <summary>
    /// Posterior means per stochastic layer, E_q[h_l] [B, M_l]: exact for layer 1, averaged over
    /// <paramref name="samples"/> draws of the layers below for deeper ones (for active units).
    /// </summary>
    public double[][] PosteriorMeans(Tensor x, Rng rng, int samples = 10)
    {
        var b = x.Shape[0];
        var result = Layers.Select(l => new double[b * l.Latents]).ToArray();
        using var noGrad = Tape.NoGrad();
        for (var s = 0; s < samples; s++)
        {
            using var scope = new TensorScope();
            var h = x;
            for (var l = 0; l < _encoder.Length; l++)
            {
                var (mu, logvar) = Gaussian(_encoder[l], h);
                var means = mu.ToDoubleArray();
                for (var i = 0; i < means.Length; i++)
                {
                    result[l][i] += means[i] / samples;
                }

                h = Ops.Reparameterize(mu, logvar, rng);
            }
        }

        return result;
    }

    /// <summary>Reconstructions for figures: h1 = μ(q(h1|x)), then σ(logits of p(x|h1)): x [B, D] → [B, D].</summary>
    public Tensor Reconstruct(Tensor x) => Ops.Sigmoid(_output.Forward(Gaussian(_encoder[0], x).Mu));

    /// <summary>Ancestral samples for figures: h_L ~ N(0, I), h_l ~ p(h_l|h_{l+1}) down to h1, then σ(logits of p(x|h1)): [n, D].</summary>
    public Tensor Sample(int n, Rng rng)
    {
        var h = rng.Normal(new Shape(n, Layers[^1].Latents), _output.Parameters().First().DType);
        for (var l = _decoder.Length - 1; l >= 0; l--)
        {
            var (mu, logvar) = Gaussian(_decoder[l], h);
            h = Ops.Reparameterize(mu, logvar, rng);
        }

        return Ops.Sigmoid(_output.Forward(h));
    }

    /// <summary>Samples h_1…h_L ([k, B, M_l] each) and returns them with Σ_l log q(h_l | h_{l−1}) [k, B].</summary>
    private (Tensor[] Samples, Tensor LogQ) SamplePosterior(Tensor x, Rng rng, int k)
    {
        var samples = new Tensor[_encoder.Length];
        Tensor? logQ = null;
        var input = x;
        for (var l = 0; l < _encoder.Length; l++)
        {
            var (mu, logvar) = Gaussian(_encoder[l], input);
            // The first layer draws k samples per datum; deeper layers one per sample below.
            samples[l] = l == 0 ? Ops.Reparameterize(mu, logvar, rng, k) : Ops.Reparameterize(mu, logvar, rng);
            var term = Ops.GaussianLogDensity(samples[l], mu, logvar);
            logQ = logQ is null ? term : Ops.Add(logQ, term);
            input = samples[l];
        }

        return (samples, logQ!);
    }

    private static (Tensor Mu, Tensor Logvar) Gaussian((Sequential Trunk, Dense Mu, Dense LogStd) layer, Tensor input)
    {
        var h = layer.Trunk.Forward(input);
        return (layer.Mu.Forward(h), Ops.Affine(layer.LogStd.Forward(h), 2)); // σ = exp(linear) ⇒ logvar = 2·linear
    }

    protected override IEnumerable<Module> Children() =>
        _encoder.SelectMany(e => new Module[] { e.Trunk, e.Mu, e.LogStd })
            .Concat(_decoder.SelectMany(d => new Module[] { d.Trunk, d.Mu, d.LogStd }))
            .Append(_output);
}
