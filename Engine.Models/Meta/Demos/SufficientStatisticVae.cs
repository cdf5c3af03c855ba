using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Meta.Demos;

/// <summary>The known one-parameter likelihoods that decode z in the sufficient-statistics demo.</summary>
public enum KnownLikelihood
{
    /// <summary>N(x; z, 0.1): z is the mean.</summary>
    Gaussian,
    /// <summary>log-normal with log-mean z and σ = 0.1.</summary>
    LogNormal,
    /// <summary>Exponential with log-rate z (rate e^z); its log-likelihood is summed over the set, not averaged (as the reference).</summary>
    Exponential,
}

/// <summary>
/// The MetaVAE of the exponential-family demo (spec metavae §9.3; the reference's AmortizedDVAE):
/// an observation is a set of n scalar draws; a sample summary (mean-MLP, 1 → H → H) of the query
/// set and a meta summary (mean-MLP, H → H → H) over the sample summaries of S further sets from the
/// same distribution feed a Gaussian encoder 2H → H → H → (μ, log σ²) of a 1-D z, the family's
/// natural parameter. The per-dataset "decoder" is the known likelihood with parameter z, so the
/// model has no per-dataset weights. Loss per row: −log p(set | z) + KL(q(z) ‖ N(0, 1)), one z.
/// </summary>
public sealed class SufficientStatisticVae : Module
{
    public const double GaussianVariance = 0.1;
    public const double LogNormalSigma = 0.1;

    private readonly MeanMlpSummary _sample;
    private readonly MeanMlpSummary _meta;
    private readonly Sequential _encoder;

    public SufficientStatisticVae(Rng rng, int hidden = 64, DType dtype = DType.Float32)
    {
        _sample = new MeanMlpSummary("sample_summary", 1, [hidden, hidden], rng, dtype: dtype);
        _meta = new MeanMlpSummary("meta_summary", hidden, [hidden, hidden], rng, dtype: dtype);
        _encoder = new Sequential(
            new Dense("encoder.0", 2 * hidden, hidden, rng, Activation.Relu, dtype: dtype),
            new Dense("encoder.1", hidden, hidden, rng, Activation.Relu, dtype: dtype),
            new Dense("encoder.out", hidden, 2, rng, dtype: dtype));
    }

    /// <summary>query [B, N] and context [B, S, N] → (μ, log σ²) [B, 1] of q(z | D, set).</summary>
    public (Tensor Mu, Tensor Logvar) Infer(Tensor query, Tensor context)
    {
        int b = query.Shape[0], n = query.Shape[1], s = context.Shape[1];
        var own = _sample.Forward(Ops.Reshape(query, b, n, 1));
        var others = Ops.Reshape(_sample.Forward(Ops.Reshape(context, b * s, n, 1)), b, s, -1);
        var output = _encoder.Forward(Ops.Concat(1, own, _meta.Forward(others)));
        return (Ops.Slice(output, 1, 0, 1), Ops.Slice(output, 1, 1, 1));
    }

    /// <summary>
    /// Mean loss over rows grouped in contiguous segments, each decoded by its family's likelihood:
    /// query [B, N], context [B, S, N], segments summing to B.
    /// </summary>
    public Tensor Loss(Tensor query, Tensor context, IReadOnlyList<(KnownLikelihood Family, int Rows)> segments, Rng rng)
    {
        var (mu, logvar) = Infer(query, context);
        var z = Ops.Reparameterize(mu, logvar, rng);
        var start = 0;
        var parts = new List<Tensor>();
        foreach (var (family, rows) in segments)
        {
            parts.Add(LogLikelihood(Ops.Slice(query, 0, start, rows), Ops.Slice(z, 0, start, rows), family));
            start += rows;
        }

        if (start != query.Shape[0])
        {
            throw new ArgumentException($"SufficientStatisticVae: segments cover {start} rows of {query.Shape[0]}.");
        }

        var logLikelihood = parts.Count == 1 ? parts[0] : Ops.Concat(0, [.. parts]);
        return Ops.Mean(Ops.Sub(Ops.KlStandardNormal(mu, logvar), logLikelihood));
    }

    /// <summary>log p(set | z) per row: x [B, N], z [B, 1] → [B].</summary>
    public static Tensor LogLikelihood(Tensor x, Tensor z, KnownLikelihood family)
    {
        switch (family)
        {
            case KnownLikelihood.Gaussian:
                return Ops.Mean(GaussianTerms(x, z, GaussianVariance), 1);
            case KnownLikelihood.LogNormal:
                var logX = Ops.Log(x); // NOTE: log-normal draws are positive; a non-positive x would be a data bug, not a model state
                return Ops.Mean(Ops.Sub(GaussianTerms(logX, z, LogNormalSigma * LogNormalSigma), logX), 1);
            default:
                return Ops.Sum(Ops.Sub(z, Ops.Mul(Ops.Exp(z), x)), 1);               // log λ − λx, λ = e^z
        }
    }

    /// <summary>Inverse of the decoder's parameterisation: the family parameter for z (the rate e^z for the exponential).</summary>
    public static double Parameter(double z, KnownLikelihood family) => family == KnownLikelihood.Exponential ? Math.Exp(z) : z;

    private static Tensor GaussianTerms(Tensor x, Tensor mean, double variance) =>
        Ops.Affine(Ops.Square(Ops.Sub(x, mean)), -0.5 / variance, -0.5 * Math.Log(2 * Math.PI * variance));

    protected override IEnumerable<Module> Children() => [_sample, _meta, _encoder];
}
