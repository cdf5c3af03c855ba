using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Hyper;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark e: one HyperVAE step — hyper-encoder on image 0, u → Dense(10, 400) → H (20×20), the 18
/// conv-VAE tensors generated as (U·H)·V + B with the balanced factorisation and U, V ~ N(0, (0.1/√20)²),
/// the conv VAE run functionally on all 100 images; 1,075,161 parameters.
/// </summary>
public sealed class HyperVaeStepWorkload : Workload
{
    private readonly HyperVae _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Rng[] _noise;
    private readonly Func<Tensor[]> _step;

    public HyperVaeStepWorkload()
    {
        var rng = new Rng(42);
        _model = new HyperVae(new HyperVaeOptions(Trunk: HyperTrunk.Dense400, Factorization: MatrixFactorization.Balanced, FactorInitStd: 0.1 / Math.Sqrt(20)), rng.Fork(1));
        _optimizer = new Adam(_model.Parameters());
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), 100, 784);
        _noise = [rng.Fork(3)];
        _step = Step;
    }

    /// <summary>Spec e: about 1610 MFLOP.</summary>
    public override double NominalFlops => 1610e6;

    public override void Run()
    {
        ForwardBackward(_step, _noise);
        _optimizer.Step();
    }

    private Tensor[] Step()
    {
        using var tape = new Tape();
        var loss = _model.Loss(_x, 0, _noise[0]).Loss;
        _optimizer.ZeroGrad();
        tape.Backward(loss);
        return [tape.Keep(loss)];
    }
}
