using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.HyperNet;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark i: one hypernetwork step (MNIST configuration): 32 noise vectors (drawn outside the timed
/// region), each generated net classifying its own 32 random binary images with random labels;
/// loss 1000·CE − Ĥ (L1 nearest neighbours, d = 300); Adam 3e-4; the gauge fixing left out as the spec says.
/// </summary>
public sealed class HypernetStepWorkload : Workload
{
    private readonly MnistHyperNetwork _model;
    private readonly Adam _optimizer;
    private readonly Tensor _x;
    private readonly Tensor _labels;
    private readonly Rng _rng;
    private readonly Tensor _z;
    private readonly Func<Tensor[]> _step;

    public HypernetStepWorkload()
    {
        var rng = new Rng(42);
        _model = new MnistHyperNetwork(new HyperNetOptions(Lambda: 1000, GaugeFixing: false), rng.Fork(1));
        _optimizer = new Adam(_model.Parameters(), new AdamOptions(LearningRate: 3e-4));
        _x = Ops.Reshape(VaeMlpStepWorkload.RandomBinary(rng.Fork(2), 32 * 32, 784), 32, 32, 784);
        _labels = Tensor.OneHot(Enumerable.Range(0, 32 * 32).Select(_ => rng.NextInt(10)).ToArray(), 10);
        _rng = rng.Fork(3);
        _z = Tensor.PersistentZeros(new Shape(32, 300));
        _rng.FillUniform(_z, -1, 1);
        _step = Step;
    }

    /// <summary>Spec i: step 18547 MFLOP.</summary>
    public override double NominalFlops => 18547e6;

    public override void Run()
    {
        ForwardBackward(_step, []);
        _optimizer.Step();
        _rng.FillUniform(_z, -1, 1); // a fresh draw into the same input each step, as the spec's peer does outside its timer (it is tiny)
    }

    private Tensor[] Step()
    {
        using var tape = new Tape();
        var loss = _model.Objective(_z, _x, _labels).Loss;
        _optimizer.ZeroGrad();
        tape.Backward(loss);
        return [tape.Keep(loss)];
    }
}
