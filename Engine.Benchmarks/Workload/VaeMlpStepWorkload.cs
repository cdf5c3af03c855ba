using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark b: one training step of the 784-300-300-40 MLP VAE on a batch of 100 random binary
/// vectors — forward, backward and Adam (lr 1e-3), each step inside its own tape.
/// </summary>
public sealed class VaeMlpStepWorkload : Workload
{
    private readonly MlpVae _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Rng[] _noise;
    private readonly Func<Tensor[]> _step;

    public VaeMlpStepWorkload()
    {
        var rng = new Rng(42);
        _model = new MlpVae(new MlpVaeConfig(), rng.Fork(1));
        _optimizer = new Adam(_model.Parameters());
        _x = RandomBinary(rng.Fork(2), 100, 784);
        _noise = [rng.Fork(3)];
        _step = Step;
    }

    /// <summary>Spec b: 3 × 137.28 MFLOP forward − 47.04 for the first layer's skipped input gradient.</summary>
    public override double NominalFlops => 364.8e6;

    public override void Run()
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

    /// <summary>A persistent [rows, cols] tensor of Bernoulli(½) values.</summary>
    internal static Tensor RandomBinary(Rng rng, int rows, int cols)
    {
        var values = new float[rows * cols];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextDouble() < 0.5 ? 1f : 0f;
        }

        var x = Tensor.PersistentZeros(new Shape(rows, cols));
        x.CopyFrom<float>(values);
        return x;
    }
}
