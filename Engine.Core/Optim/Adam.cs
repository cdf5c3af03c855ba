namespace Engine.Core.Optim;

/// <summary>Options of <see cref="Adam"/>; defaults are PyTorch's.</summary>
/// <param name="NormalizeGrad">Divide each tensor's gradient by (its L2 norm + 1e-7) before the
/// update, as the VampPrior reference code does (spec vae-and-priors §6).</param>
/// <param name="InitialSecondMoment">Starting value of v (the IWAE code starts it at 1).</param>
public sealed record AdamOptions(
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Eps = 1e-8,
    double WeightDecay = 0,
    bool NormalizeGrad = false,
    double InitialSecondMoment = 0);

/// <summary>Adam (Kingma &amp; Ba 2015, Algorithm 1) with bias correction, one fused kernel per tensor.</summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;

    public Adam(IEnumerable<Tensor> parameters, AdamOptions? options = null)
        : base(parameters)
    {
        Options = options ?? new AdamOptions();
        LearningRate = Options.LearningRate;
        _m = Parameters.Select(p => Named(Tensor.PersistentZeros(p.Shape, p.DType, p.Backend), p, "m")).ToArray();
        _v = Parameters.Select(p => Named(Tensor.PersistentZeros(p.Shape, p.DType, p.Backend), p, "v")).ToArray();
        foreach (var v in _v)
        {
            v.Fill(Options.InitialSecondMoment);
        }
    }

    public AdamOptions Options { get; }

    public override void Step()
    {
        StepCount++;
        var c1 = 1 - Math.Pow(Options.Beta1, StepCount);
        var c2 = 1 - Math.Pow(Options.Beta2, StepCount);
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            var scale = Options.NormalizeGrad ? 1.0 / (Math.Sqrt(p.Backend.SumOfSquares(p.Grad!.View)) + 1e-7) : 1.0;
            p.Backend.AdamStep(p.View, p.Grad!.View, _m[i].View, _v[i].View, LearningRate, Options.Beta1, Options.Beta2, Options.Eps, c1, c2, Options.WeightDecay, scale);
        }
    }

    public override IEnumerable<Tensor> State() => _m.Concat(_v);

    private static Tensor Named(Tensor t, Tensor p, string what)
    {
        t.Name = $"{p.Name ?? "param"}.adam_{what}";
        return t;
    }
}
