using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark c: the MLP VAE of b with a VampPrior of K = 500 pseudo-inputs (hardtanh(0, 1) of a
/// trainable 500×784 matrix, N(0.05, 0.01) init), sampled KL; one step on 100 random binary images.
/// Our pseudo-input layer is the matrix itself: the spec's 500×500 identity product (392 MFLOP of
/// the nominal count) is skipped, so measured GFLOP/s against the nominal count overstate our rate.
/// </summary>
public sealed class VaeVampStepWorkload : Workload
{
    private readonly VariationalAutoencoder _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Rng _noise;

    public VaeVampStepWorkload()
    {
        var rng = new Rng(42);
        _model = VaeBuilder.Mlp(new MlpVaeSpec(784, Gated: false, Prior: PriorKind.VampPrior, Components: 500), rng.Fork(1));
        _optimizer = new Adam(_model.Parameters());
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), 100, 784);
        _noise = rng.Fork(3);
    }

    /// <summary>Spec c: step 2196.4 MFLOP (nominal, identity GEMM included).</summary>
    public override double NominalFlops => 2196.4e6;

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
