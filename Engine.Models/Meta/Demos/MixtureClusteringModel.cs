using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Meta.Demos;

/// <summary>
/// The MetaVAE clustering demo's model (spec metavae §9.1 — our design; the reference has none):
/// a binary latent z per point, q(z=1 | D, x) = σ(r(x, h(D))) with a mean-MLP summary h (hidden 64)
/// — or q(z=1 | x) without one for the VAE baseline — one decoder per training mixture
/// p_i(x|z) = N(m_{i,z}, 0.1·I) with learnable means, p(z) = Bernoulli(½). The ELBO is exact by
/// enumerating z ∈ {0, 1}: q₁ log p(x|1) + q₀ log p(x|0) − [q₁ log 2q₁ + q₀ log 2q₀].
/// </summary>
public sealed class MixtureClusteringModel : Module
{
    private const double ComponentVariance = 0.1;
    private readonly MeanMlpSummary? _summary;
    private readonly Sequential _encoder;
    private readonly Tensor[] _means;

    /// <param name="useSummary">True for MetaVAE, false for the single-mixture VAE baseline.</param>
    public MixtureClusteringModel(int datasets, bool useSummary, Rng rng, int hidden = 64, DType dtype = DType.Float32)
    {
        _summary = useSummary ? new MeanMlpSummary("summary", 2, [hidden, hidden], rng, dtype: dtype) : null;
        _encoder = new Sequential(
            new Dense("encoder.0", 2 + (useSummary ? hidden : 0), hidden, rng, Activation.Relu, dtype: dtype),
            new Dense("encoder.1", hidden, hidden, rng, Activation.Relu, dtype: dtype),
            new Dense("encoder.logit", hidden, 1, rng, dtype: dtype));
        _means = Enumerable.Range(0, datasets)
            .Select(i => Parameter.Create($"decoder{i}.means", new Shape(2, 2), t => rng.FillNormal(t, 0, 3), dtype))
            .ToArray();
    }

    /// <summary>Logit of q(z = 1 | D, x) for the points of one set x [N, 2] (the set is the points themselves).</summary>
    public Tensor Logits(Tensor x)
    {
        var input = x;
        if (_summary is not null)
        {
            var n = x.Shape[0];
            var summary = _summary.Forward(Ops.Reshape(x, 1, n, 2));                      // [1, H]
            var repeated = Ops.Add(summary, Tensor.Zeros(new Shape(n, summary.Shape[1]), x.DType, x.Backend));
            input = Ops.Concat(1, x, repeated);
        }

        return Ops.Reshape(_encoder.Forward(input), -1);                                  // [N]
    }

    /// <summary>−ELBO averaged over the set's points, under decoder <paramref name="dataset"/>.</summary>
    public Tensor Loss(Tensor x, int dataset)
    {
        var logits = Logits(x);
        var logQ1 = Ops.LogSigmoid(logits);
        var logQ0 = Ops.LogSigmoid(Ops.Neg(logits));
        var q1 = Ops.Exp(logQ1);
        var q0 = Ops.Exp(logQ0);
        var means = _means[dataset];
        Tensor LogP(int component) =>
            Ops.Affine(Ops.Sum(Ops.Square(Ops.Sub(x, Ops.Slice(means, 0, component, 1))), 1), -0.5 / ComponentVariance, -Math.Log(2 * Math.PI * ComponentVariance));
        var expected = Ops.Add(Ops.Mul(q1, LogP(1)), Ops.Mul(q0, LogP(0)));
        var kl = Ops.Add(Ops.Mul(q1, Ops.Affine(logQ1, 1, Math.Log(2))), Ops.Mul(q0, Ops.Affine(logQ0, 1, Math.Log(2))));
        return Ops.Neg(Ops.Mean(Ops.Sub(expected, kl)));
    }

    /// <summary>
    /// Starts decoder <paramref name="dataset"/>'s two means at the farthest-apart pair of a sample of
    /// its points (a data-dependent init, like the IWAE output bias): the per-dataset means receive
    /// only 1/N of the updates, and from a blind init they rarely travel far enough.
    /// </summary>
    public void InitializeDecoder(int dataset, float[] points)
    {
        var n = points.Length / 2;
        var (a, b, best) = (0, 0, -1.0);
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var d = Math.Pow(points[2 * i] - points[2 * j], 2) + Math.Pow(points[2 * i + 1] - points[2 * j + 1], 2);
                if (d > best)
                {
                    (a, b, best) = (i, j, d);
                }
            }
        }

        // Canonical order (component 0 = smaller first coordinate): the labels mean the same thing in
        // every dataset, so one encoder can learn them; arbitrary orders would contradict each other.
        if (points[2 * a] > points[2 * b])
        {
            (a, b) = (b, a);
        }

        var means = _means[dataset];
        var values = new double[] { points[2 * a], points[2 * a + 1], points[2 * b], points[2 * b + 1] };
        if (means.DType == DType.Float64)
        {
            means.CopyFrom<double>(values);
        }
        else
        {
            means.CopyFrom<float>(Array.ConvertAll(values, v => (float)v));
        }
    }

    /// <summary>Cluster assignment argmax_z q(z | D, x) for each point.</summary>
    public int[] Assign(Tensor x) => Logits(x).ToDoubleArray().Select(l => l > 0 ? 1 : 0).ToArray();

    protected override IEnumerable<Tensor> OwnParameters() => _means;

    protected override IEnumerable<Module> Children() => _summary is null ? [_encoder] : [_summary, _encoder];
}
