using Engine.Core;
using Engine.Core.Nn;
using Engine.Models.Meta;

namespace Engine.Experiments.Meta.Transforms;

/// <summary>
/// One of the four models compared on transformed MNIST (spec metavae §2, §5), behind the two
/// things the experiments need: the loss of one training step over every meta-training dataset,
/// and the downstream representation of x given a set D from x's dataset.
/// <list type="bullet">
/// <item><c>metavae</c>: MetaVAE, one decoder per meta-training dataset, loss = mean over datasets; z = μ_z(D, x).</item>
/// <item><c>vhe</c>, <c>vhe-vp</c>: Variational Homoencoder (VampPrior on c for -vp); one shared model, so all datasets go through one call; z = μ of q(z|x, c), c ~ q(c|D).</item>
/// <item><c>ns</c>: Neural Statistician; each dataset's mini-batch is its set; at test time the set is x's own batch.</item>
/// </list>
/// </summary>
public sealed class RepresentationLearner
{
    public static IReadOnlyList<string> Kinds { get; } = ["metavae", "vhe-vp", "vhe", "ns"];

    private readonly MetaVae? _meta;
    private readonly ContextVae? _context;

    private RepresentationLearner(string kind, MetaVae? meta, ContextVae? context)
    {
        Kind = kind;
        _meta = meta;
        _context = context;
    }

    public string Kind { get; }

    public Module Module => (Module?)_meta ?? _context!;

    /// <summary>The MetaVAE itself (null for the context models), for diagnostics such as <see cref="PosteriorKl"/>.</summary>
    public MetaVae? MetaVae => _meta;

    /// <summary>Neural Statistician: the set of x is the batch x belongs to, not a separately drawn one.</summary>
    public bool BatchIsTheSet => Kind == "ns";

    /// <summary>A readable model name for tables and legends.</summary>
    public static string Label(string kind) => kind switch
    {
        "metavae" => "MetaVAE",
        "vhe-vp" => "VHE+VP",
        "vhe" => "VHE",
        "ns" => "NS",
        _ => kind,
    };

    public static RepresentationLearner Create(string kind, int datasets, TransformProbeSettings s, MetaVaeVariant variant, Rng rng)
    {
        ContextVaeOptions Context(ContextModel model, int components) => new(model, Inputs: Data.Mnist.Pixels, Latents: s.Latents,
            ContextLatents: s.ContextLatents, Hidden: s.Hidden, DecoderWide: s.DecoderWide, KlContextWeight: variant.KlContextWeight(s.SetSize),
            VampPriorComponents: components, PseudoSetSize: s.SetSize);
        return kind switch
        {
            "metavae" => new(kind, new MetaVae(new MetaVaeOptions(Data.Mnist.Pixels, s.Latents, s.Hidden, datasets, variant.SummaryDivideByBatch), rng), null),
            "vhe" => new(kind, null, new ContextVae(Context(ContextModel.Homoencoder, 0), rng)),
            "vhe-vp" => new(kind, null, new ContextVae(Context(ContextModel.Homoencoder, s.VampPriorComponents), rng)),
            "ns" => new(kind, null, new ContextVae(Context(ContextModel.NeuralStatistician, 0), rng)),
            _ => throw new ArgumentException($"RepresentationLearner: unknown model '{kind}'; use one of {string.Join(", ", Kinds)}."),
        };
    }

    /// <summary>
    /// The training loss of one step: x[i] [B, D] is dataset i's mini-batch, sets[i] [B, N, D] its
    /// context sets (ignored by NS); the mean over datasets of each dataset's mean per-datum loss.
    /// </summary>
    public Tensor Loss(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> sets, Rng rng)
    {
        if (_meta is not null)
        {
            return Average(x.Select((xi, i) => _meta.Loss(xi, sets[i], i, rng).Loss));
        }

        if (BatchIsTheSet)
        {
            return Average(x.Select(xi => _context!.Loss(xi, null, rng).Loss));
        }

        // Homoencoder: one shared model, equal batch sizes, so the mean over the concatenation is the mean over datasets.
        return _context!.Loss(Ops.Concat(0, [.. x]), Ops.Concat(0, [.. sets]), rng).Loss;
    }

    /// <summary>The representation of x [B, D] given sets [B, N, D] drawn from x's dataset (NS: x itself is the set).</summary>
    public Tensor Embed(Tensor x, Tensor sets, Rng rng) => _meta is not null
        ? _meta.Embed(x, sets)
        : _context!.Embed(x, BatchIsTheSet ? Ops.Reshape(x, 1, x.Shape[0], -1) : sets, rng);

    private static Tensor Average(IEnumerable<Tensor> losses)
    {
        var list = losses.ToArray();
        return Ops.Affine(list.Skip(1).Aggregate(list[0], Ops.Add), 1.0 / list.Length);
    }
}
