using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Layers;
using Engine.Models.Likelihoods;
using Engine.Models.Priors;
using Engine.Models.Vae;

namespace Engine.Models.Hvae;

/// <summary>
/// The VampPrior paper's two-level MLP HVAE (spec vae-and-priors §4.3): q(z2|x), q(z1|x, z2),
/// p(z1|z2), p(x|z1, z2) built from gated dense layers; the prior (standard or VampPrior over
/// q(z2|u_k)) sits on z2 only. Loss: −log p(x|z1,z2) + β[log q(z1|x,z2) − log p(z1|z2) + log q(z2|x) − log p(z2)]
/// at the sampled z's (z2 first, then z1 given it).
/// </summary>
public sealed class TwoLevelVae : Module
{
    private readonly Sequential _qz2Trunk;
    private readonly (Dense Mu, Dense Logvar) _qz2Heads;
    private readonly GatedDense _qz1X;
    private readonly GatedDense _qz1Z2;
    private readonly GatedDense _qz1Joint;
    private readonly (Dense Mu, Dense Logvar) _qz1Heads;
    private readonly Sequential _pz1Trunk;
    private readonly (Dense Mu, Dense Logvar) _pz1Heads;
    private readonly GatedDense _pxZ1;
    private readonly GatedDense _pxZ2;
    private readonly GatedDense _pxJoint;
    private readonly Dense _pxOut;

    public TwoLevelVae(int inputs, Rng rng, PriorKind prior = PriorKind.VampPrior, int hidden = 300, int latents1 = 40, int latents2 = 40,
        int components = 500, double pseudoMean = 0.05, double pseudoStd = 0.01, ILikelihood? likelihood = null, float[]? pseudoData = null, DType dtype = DType.Float32)
    {
        Likelihood = likelihood ?? new BernoulliLikelihood();
        GatedDense G(string name, int i, int o) => new(name, i, o, rng, dtype);
        (Dense, Dense) Heads(string name, int latents) => (
            new Dense(name + ".mu", hidden, latents, rng, dtype: dtype, init: Init.HeNormal),
            new Dense(name + ".logvar", hidden, latents, rng, dtype: dtype, init: Init.HeNormal));
        _qz2Trunk = new Sequential(G("qz2.0", inputs, hidden), G("qz2.1", hidden, hidden));
        _qz2Heads = Heads("qz2", latents2);
        _qz1X = G("qz1.x", inputs, hidden);
        _qz1Z2 = G("qz1.z2", latents2, hidden);
        _qz1Joint = G("qz1.joint", 2 * hidden, hidden);
        _qz1Heads = Heads("qz1", latents1);
        _pz1Trunk = new Sequential(G("pz1.0", latents2, hidden), G("pz1.1", hidden, hidden));
        _pz1Heads = Heads("pz1", latents1);
        _pxZ1 = G("px.z1", latents1, hidden);
        _pxZ2 = G("px.z2", latents2, hidden);
        _pxJoint = G("px.joint", 2 * hidden, hidden);
        _pxOut = new Dense("px.out", hidden, inputs * Likelihood.OutputsPerDimension, rng, dtype: dtype, init: Init.HeNormal);
        Prior = prior switch
        {
            PriorKind.Standard => new StandardNormalPrior(latents2, dtype),
            PriorKind.VampPrior => new VampPrior(EncodeTop, components, inputs, PseudoInputKind.Learned, rng, pseudoMean, pseudoStd, dtype: dtype),
            PriorKind.VampPriorData => new VampPrior(EncodeTop, components, inputs, PseudoInputKind.FixedData, rng, data: pseudoData, dtype: dtype),
            _ => new MixtureOfGaussiansPrior(components, latents2, rng, dtype),
        };
    }

    public ILikelihood Likelihood { get; }

    public IPrior Prior { get; }

    /// <summary>q(z2|x): x [B, D] → (μ, logvar) [B, M2] (logvar clamped to [−6, 2] as the reference).</summary>
    public (Tensor Mu, Tensor Logvar) EncodeTop(Tensor x) => Heads(_qz2Heads, _qz2Trunk.Forward(x));

    /// <summary>log w [B, S] = log p(x|z1,z2) + log p(z1|z2) + log p(z2) − log q(z1|x,z2) − log q(z2|x).</summary>
    public Tensor LogWeights(Tensor x, Rng rng, int samples)
    {
        var terms = Terms(x, rng, samples);
        return Ops.Transpose(Ops.Neg(Ops.Add(terms.Reconstruction, terms.Kl)));
    }

    /// <summary>The negative ELBO with one sample per datum and KL weight β.</summary>
    public ElboTerms Elbo(Tensor x, Rng rng, double beta = 1)
    {
        var t = Terms(x, rng, 0);
        var perDatum = Ops.Add(t.Reconstruction, beta == 1 ? t.Kl : Ops.Affine(t.Kl, beta));
        return new ElboTerms(Ops.Mean(perDatum), t.Reconstruction, t.Kl);
    }

    /// <summary>
    /// Reconstructions for figures: z2 = μ(q(z2|x)), z1 = μ(q(z1|x, z2)), then the likelihood's mean
    /// of p(x|z1, z2): x [B, D] → [B, D]. Deterministic, no sampling.
    /// </summary>
    public Tensor Reconstruct(Tensor x)
    {
        var (mu2, _) = EncodeTop(x);
        var (mu1, _) = Heads(_qz1Heads, _qz1Joint.Forward(Ops.Concat(-1, _qz1X.Forward(x), _qz1Z2.Forward(mu2))));
        return Likelihood.Mean(Decode(mu1, mu2));
    }

    /// <summary>Ancestral samples for figures: z2 ~ p(z2), z1 ~ p(z1|z2), then the likelihood's mean of p(x|z1, z2): [n, D].</summary>
    public Tensor Sample(int n, Rng rng)
    {
        var z2 = Prior.Sample(n, rng);
        var (pmu1, plogvar1) = Heads(_pz1Heads, _pz1Trunk.Forward(z2));
        return Likelihood.Mean(Decode(Ops.Reparameterize(pmu1, plogvar1, rng), z2));
    }

    /// <summary>The decoder output (likelihood parameters) of p(x|z1, z2).</summary>
    private Tensor Decode(Tensor z1, Tensor z2) => _pxOut.Forward(_pxJoint.Forward(Ops.Concat(-1, _pxZ1.Forward(z1), _pxZ2.Forward(z2))));

    /// <summary>Reconstruction and sampled KL per datum; with samples &gt; 0 the shapes are [S, B].</summary>
    private (Tensor Reconstruction, Tensor Kl) Terms(Tensor x, Rng rng, int samples)
    {
        var (mu2, logvar2) = EncodeTop(x);
        var z2 = Ops.Reparameterize(mu2, logvar2, rng, samples);                         // [(S,) B, M2]
        var hx = _qz1X.Forward(x);                                                      // [B, H]
        var hz2 = _qz1Z2.Forward(z2);                                                   // [(S,) B, H]
        var (mu1, logvar1) = Heads(_qz1Heads, _qz1Joint.Forward(Ops.Concat(-1, Expand(hx, hz2.Shape), hz2)));
        var z1 = Ops.Reparameterize(mu1, logvar1, rng.Normal(mu1.Shape, mu1.DType, backend: mu1.Backend)); // one z1 per z2
        var (pmu1, plogvar1) = Heads(_pz1Heads, _pz1Trunk.Forward(z2));
        var reconstruction = Ops.Neg(Likelihood.LogLikelihood(Decode(z1, z2), x));
        var kl = Ops.Add(
            Ops.Sub(Ops.GaussianLogDensity(z1, mu1, logvar1), Ops.GaussianLogDensity(z1, pmu1, plogvar1)),
            Ops.Sub(Ops.GaussianLogDensity(z2, mu2, logvar2), Prior.LogDensity(z2)));
        return (reconstruction, kl);
    }

    private static (Tensor Mu, Tensor Logvar) Heads((Dense Mu, Dense Logvar) heads, Tensor h) =>
        (heads.Mu.Forward(h), Ops.Hardtanh(heads.Logvar.Forward(h), -6, 2));

    /// <summary>Repeats t [B, H] over leading sample axes to <paramref name="shape"/>.</summary>
    private static Tensor Expand(Tensor t, Shape shape) =>
        t.Shape == shape ? t : Ops.Add(t, Tensor.Zeros(shape, t.DType, t.Backend));

    protected override IEnumerable<Tensor> OwnParameters() => Prior.Parameters();

    protected override IEnumerable<Module> Children() =>
        [_qz2Trunk, _qz2Heads.Mu, _qz2Heads.Logvar, _qz1X, _qz1Z2, _qz1Joint, _qz1Heads.Mu, _qz1Heads.Logvar,
         _pz1Trunk, _pz1Heads.Mu, _pz1Heads.Logvar, _pxZ1, _pxZ2, _pxJoint, _pxOut];
}
