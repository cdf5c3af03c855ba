using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>
/// y = act(x·Wᵀ + b), W [out, in]. Its functional twin is <see cref="Ops.Linear"/>, which takes the
/// weights as arguments (generated weights use that directly).
/// </summary>
public sealed class Dense : Layer
{
    public Dense(string name, int inputs, int outputs, Rng rng, Activation activation = Activation.None, bool bias = true, DType dtype = DType.Float32, Action<Tensor, Rng>? init = null)
    {
        Activation = activation;
        Weight = Parameter.Create(name + ".weight", new Shape(outputs, inputs), w => (init ?? ((t, r) => Init.PyTorchDefault(t, r, inputs)))(w, rng), dtype);
        Bias = bias ? Parameter.Create(name + ".bias", new Shape(outputs), b => Init.PyTorchDefault(b, rng, inputs), dtype) : null;
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public Activation Activation { get; }

    public override Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias, Activation);

    protected override IEnumerable<Tensor> OwnParameters() => Bias is null ? [Weight] : [Weight, Bias];
}
