namespace Engine.Core.Optim;

/// <summary>Stochastic gradient descent with optional (heavy-ball, PyTorch-style) momentum.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor[]? _buffers;

    public Sgd(IEnumerable<Tensor> parameters, double learningRate, double momentum = 0)
        : base(parameters)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        _buffers = momentum > 0 ? Parameters.Select(p => Tensor.PersistentZeros(p.Shape, p.DType, p.Backend)).ToArray() : null;
    }

    public double Momentum { get; }

    public override void Step()
    {
        StepCount++;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            p.Backend.SgdStep(p.View, p.Grad!.View, _buffers?[i].View, LearningRate, Momentum, 1.0);
        }
    }

    public override IEnumerable<Tensor> State() => _buffers ?? [];
}
