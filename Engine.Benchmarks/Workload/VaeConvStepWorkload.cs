using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>Benchmark d: one training step of the HyperVAE-paper conv VAE (z = 10) on 100 random binary 28×28 images.</summary>
public sealed class VaeConvStepWorkload : Workload
{
    private readonly VariationalAutoencoder _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Rng _noise;

    public VaeConvStepWorkload()
    {
        var rng = new Rng(42);
        _model = ConvVae.Create(rng.Fork(1));
        _optimizer = new Adam(_model.Parameters());
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), 100, 784);
        _noise = rng.Fork(3);
    }

    /// <summary>Spec d: step 1518.4 MFLOP.</summary>
    public override double NominalFlops => 1518.4e6;

    public override void Run()
    {
        using var tape = new Tape();
        var loss = _model.Elbo(_x, _noise).Loss;
        _optimizer.ZeroGrad();
        tape.Backward(loss);
        _optimizer.Step();
        LastLoss = loss.Item();
    }
}
