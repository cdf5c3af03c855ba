using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>
/// y = act(x·Wᵀ + b), W [out, in]. Its functional twin is <see cref="Ops.Linear"/>, which takes the
/// weights as arguments (generated weights use that directly).
/// </summary>
public sealed class Dense : Layer
{
    public Dense(string name, int inputs, int outputs, Rng rng, Activation activation = Activation.None, bool bias = true, DType dtype = DType.Float32, Action<Tensor, Rng>? init = null, double leakySlope = 0.01)
    {
        Activation = activation;
        LeakySlope = leakySlope;
        Weight = Parameter.Create(name + ".weight", new Shape(outputs, inputs), w => (init ?? ((t, r) => Init.PyTorchDefault(t, r, inputs)))(w, rng), dtype);
        Bias = bias ? Parameter.Create(name + ".bias", new Shape(outputs), b => Init.PyTorchDefault(b, rng, inputs), dtype) : null;
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public Activation Activation { get; }

    /// <summary>Slope of the negative part when <see cref="Activation"/> is leaky ReLU.</summary>
    public double LeakySlope { get; }

    public override Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias, Activation, LeakySlope);

    protected override IEnumerable<Tensor> OwnParameters() => Bias is null ? [Weight] : [Weight, Bias];
}
