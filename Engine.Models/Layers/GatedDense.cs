using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Layers;

/// <summary>
/// The VampPrior code's gated dense layer (spec vae-and-priors §4.1): h = (x·Wₕᵀ + bₕ) ⊙ σ(x·W_gᵀ + b_g),
/// two independent affine maps. Weights He-normal N(0, 2/fan_in), biases PyTorch default.
/// </summary>
public sealed class GatedDense : Layer
{
    private readonly Dense _value;
    private readonly Dense _gate;

    public GatedDense(string name, int inputs, int outputs, Rng rng, DType dtype = DType.Float32)
    {
        _value = new Dense(name + ".h", inputs, outputs, rng, dtype: dtype, init: Init.HeNormal);
        _gate = new Dense(name + ".g", inputs, outputs, rng, Activation.Sigmoid, dtype: dtype, init: Init.HeNormal);
    }

    public override Tensor Forward(Tensor x) => Ops.Mul(_value.Forward(x), _gate.Forward(x));

    protected override IEnumerable<Module> Children() => [_value, _gate];
}
