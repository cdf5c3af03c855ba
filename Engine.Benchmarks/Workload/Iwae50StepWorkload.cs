using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark f: one IWAE k=50 training step of the model of b. Encode once ([100, 40]), z = μ + σ·ε
/// with ε [50, 100, 40], decode all 5000 to logits [50, 100, 784];
/// log w = log Bern(x|z) + log N(z; 0, I) − log N(z; μ, σ²); loss = −mean_b(logmeanexp_k log w).
/// </summary>
public sealed class Iwae50StepWorkload : Workload
{
    private const int Samples = 50;
    private readonly MlpVae _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Rng[] _noise;
    private readonly Func<Tensor[]> _step;

    public Iwae50StepWorkload()
    {
        var rng = new Rng(42);
        _model = new MlpVae(new MlpVaeConfig(), rng.Fork(1));
        _optimizer = new Adam(_model.Parameters());
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), 100, 784);
        _noise = [rng.Fork(3)];
        _step = Step;
    }

    public override double NominalFlops => 10278.5e6;

    public override void Run()
    {
        ForwardBackward(_step, _noise);
        _optimizer.Step();
    }

    private Tensor[] Step()
    {
        using var tape = new Tape();
        var (mu, logvar) = _model.Encode(_x);
        var z = Ops.Reparameterize(mu, logvar, _noise[0], Samples); // [S, B, Z]
        var logPx = Ops.BernoulliLogLikelihood(_model.Decode(z), _x); // [S, B]
        var logw = Ops.Sub(Ops.Add(logPx, Ops.StandardNormalLogDensity(z)), Ops.GaussianLogDensity(z, mu, logvar));
        var bound = Ops.LogMeanExpWeights(Ops.Transpose(logw), out _); // [B]
        var loss = Ops.Neg(Ops.Mean(bound));
        _optimizer.ZeroGrad();
        tape.Backward(loss);
        return [tape.Keep(loss)];
    }
}
