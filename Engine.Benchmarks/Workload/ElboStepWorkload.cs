using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// One Adam training step of a <see cref="VariationalAutoencoder"/> on its ELBO, on 100 random binary
/// 28×28 images: the shared body of the step workloads that differ only in the model (c, d). The
/// model, images and noise come from fixed forks of seed 42, so every run times the same work.
/// </summary>
public abstract class ElboStepWorkload : Workload
{
    private readonly VariationalAutoencoder _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Rng[] _noise;
    private readonly Func<Tensor[]> _step;

    protected ElboStepWorkload(Func<Rng, VariationalAutoencoder> build)
    {
        var rng = new Rng(42);
        _model = build(rng.Fork(1));
        _optimizer = new Adam(_model.Parameters());
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), 100, 784);
        _noise = [rng.Fork(3)];
        _step = Step;
    }

    public sealed override void Run()
    {
        ForwardBackward(_step, _noise);
        _optimizer.Step();
    }

    private Tensor[] Step()
    {
        using var tape = new Tape();
        var loss = _model.Elbo(_x, _noise[0]).Loss;
        _optimizer.ZeroGrad();
        tape.Backward(loss);
        return [tape.Keep(loss)];
    }
}
