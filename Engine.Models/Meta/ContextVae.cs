using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Priors;
using Engine.Models.Vae;

namespace Engine.Models.Meta;

/// <summary>
/// The Variational Homoencoder and the Neural Statistician with a global context latent c
/// (spec metavae §5.1–5.3): q(c|D) from a mean over the set, q(z|x, c), p(z|c), p(x|z, c), all
/// KLs analytic except KL_c under a VampPrior on c (one-sample, log q(c|D) − log p(c)), where
/// p(c) = (1/K) Σ_k q(c | P_k) over K trainable pseudo-sets of pseudo-images clip(W, 0, 1).
/// Linear layers Xavier-normal with ReLU gain, biases 0.
/// </summary>
public sealed class ContextVae : Module
{
    private readonly Dense _statisticElement;
    private readonly Dense _statisticOut;
    private readonly Dense _qzX;
    private readonly Dense _qzC;
    private readonly Sequential _qzBody;
    private readonly Sequential _pzC;
    private readonly Dense _pxZ;
    private readonly Dense _pxC;
    private readonly Sequential _pxBody;
    private readonly Tensor? _pseudoSets;

    public ContextVae(ContextVaeOptions options, Rng rng, DType dtype = DType.Float32)
    {
        Options = options;
        int d = options.Inputs, h = options.Hidden, m = options.Latents, c = options.ContextLatents;
        Dense Linear(string name, int i, int o) => new(name, i, o, rng, dtype: dtype, init: XavierRelu);
        _statisticElement = Linear("qc.element", d, h);
        _statisticOut = Linear("qc.out", h, 2 * c);
        _qzX = Linear("qz.x", d, h);
        _qzC = Linear("qz.c", c, h);
        _qzBody = new Sequential(Elu.Layer(), Linear("qz.1", 2 * h, h), Elu.Layer(), Linear("qz.out", h, 2 * m));
        _pzC = new Sequential(Linear("pz.0", c, h), Elu.Layer(), Linear("pz.1", h, h), Elu.Layer(), Linear("pz.out", h, 2 * m));
        _pxZ = Linear("px.z", m, h);
        _pxC = Linear("px.c", c, h);
        _pxBody = new Sequential(Elu.Layer(), Linear("px.1", 2 * h, options.DecoderWide), Elu.Layer(), Linear("px.logits", options.DecoderWide, d));
        if (options.VampPriorComponents > 0)
        {
            _pseudoSets = Parameter.Create("prior.pseudo_sets", new Shape(options.VampPriorComponents, options.PseudoSetSize, d),
                t => rng.FillNormal(t, options.PseudoInputMean, options.PseudoInputStd), dtype);
        }

        foreach (var bias in Parameters().Where(p => p.Name?.EndsWith(".bias", StringComparison.Ordinal) == true))
        {
            bias.Fill(0); // the reference initialises every bias to 0
        }
    }

    public ContextVaeOptions Options { get; }

    /// <summary>q(c|D) for sets [S, N, D] → (μ_c, logvar_c) [S, C].</summary>
    public (Tensor Mu, Tensor Logvar) EncodeContext(Tensor sets)
    {
        int s = sets.Shape[0], n = sets.Shape[1];
        var e = _statisticElement.Forward(Ops.Reshape(sets, s * n, -1));
        if (Options.Model == ContextModel.NeuralStatistician)
        {
            e = Elu.Apply(e);
        }

        var pooled = Ops.Mean(Ops.Reshape(e, s, n, -1), 1);
        return Split(_statisticOut.Forward(pooled));
    }

    /// <summary>q(z|x, c): x [B, D], c [B, C] → (μ, logvar) [B, M].</summary>
    public (Tensor Mu, Tensor Logvar) EncodeLatent(Tensor x, Tensor c) =>
        Split(_qzBody.Forward(Ops.Concat(1, _qzX.Forward(x), _qzC.Forward(c))));

    /// <summary>
    /// Per-datum loss of a batch x [B, D]. Homoencoder: sets [B, N, D], one context set per x.
    /// Neural Statistician: sets is ignored and x itself is the one set.
    /// </summary>
    public ElboTerms Loss(Tensor x, Tensor? sets, Rng rng)
    {
        var b = x.Shape[0];
        var contextSets = Options.Model == ContextModel.NeuralStatistician ? Ops.Reshape(x, 1, b, -1)
            : sets ?? throw new ArgumentException("ContextVae: the homoencoder needs a context set per datum.");
        var (muC, logvarC) = EncodeContext(contextSets);
        var c = Ops.Reparameterize(muC, logvarC, rng);
        var klC = _pseudoSets is null
            ? Ops.KlStandardNormal(muC, logvarC)
            : Ops.Sub(Ops.GaussianLogDensity(c, muC, logvarC), ContextPriorLogDensity(c));
        if (Options.Model == ContextModel.NeuralStatistician)
        {
            c = Ops.Add(Ops.Reshape(c, 1, -1), Tensor.Zeros(new Shape(b, Options.ContextLatents), x.DType, x.Backend)); // one c for the set
        }

        var (mu, logvar) = EncodeLatent(x, c);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var (priorMu, priorLogvar) = Split(_pzC.Forward(c));
        var klZ = Ops.KlDiagonalGaussians(mu, logvar, priorMu, priorLogvar);
        var logits = _pxBody.Forward(Ops.Concat(1, _pxZ.Forward(z), _pxC.Forward(c)));
        var reconstruction = Ops.Neg(Ops.BernoulliLogLikelihood(logits, x));
        var perDatum = Ops.Add(reconstruction, klZ);
        Tensor loss;
        Tensor kl;
        if (Options.Model == ContextModel.NeuralStatistician)
        {
            // (1/|D|) Σ_x [recon + KL_z] + KL_c for the one set
            loss = Ops.Add(Ops.Mean(perDatum), Ops.Sum(klC));
            kl = Ops.Add(klZ, Ops.Affine(Ops.Reshape(Ops.Sum(klC), 1), 1.0 / b));
        }
        else
        {
            var klCWeighted = Ops.Affine(klC, Options.KlContextWeight);
            loss = Ops.Mean(Ops.Add(perDatum, klCWeighted));
            kl = Ops.Add(klZ, klCWeighted);
        }

        return new ElboTerms(loss, reconstruction, kl);
    }

    /// <summary>The representation used downstream: μ of q(z|x, c) with c ~ q(c|D).</summary>
    public Tensor Embed(Tensor x, Tensor sets, Rng rng)
    {
        var (muC, logvarC) = EncodeContext(sets);
        var c = Ops.Reparameterize(muC, logvarC, rng);
        if (c.Shape[0] != x.Shape[0])
        {
            c = Ops.Add(c, Tensor.Zeros(new Shape(x.Shape[0], Options.ContextLatents), x.DType, x.Backend));
        }

        return EncodeLatent(x, c).Mu;
    }

    /// <summary>log p(c) under the VampPrior on c: log (1/K) Σ_k q(c | clip(P_k, 0, 1)).</summary>
    private Tensor ContextPriorLogDensity(Tensor c)
    {
        var (mu, logvar) = EncodeContext(Ops.Hardtanh(_pseudoSets!, 0, 1));
        return MixtureDensity.UniformMixtureLogDensity(c, mu, logvar);
    }

    private static (Tensor Mu, Tensor Logvar) Split(Tensor t)
    {
        var half = t.Shape[-1] / 2;
        return (Ops.Slice(t, -1, 0, half), Ops.Slice(t, -1, half, half));
    }

    /// <summary>Xavier-normal with the ReLU gain √2: N(0, 2·2/(fan_in + fan_out)); biases are zeroed by the caller's layer.</summary>
    private static void XavierRelu(Tensor w, Rng rng)
    {
        var (fanIn, fanOut) = Init.Fans(w.Shape);
        rng.FillNormal(w, 0, Math.Sqrt(2.0) * Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    protected override IEnumerable<Tensor> OwnParameters() => _pseudoSets is null ? [] : [_pseudoSets];

    protected override IEnumerable<Module> Children() => [_statisticElement, _statisticOut, _qzX, _qzC, _qzBody, _pzC, _pxZ, _pxC, _pxBody];
}
