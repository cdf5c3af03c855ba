using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>
/// y = conv(x, W) + b with W [K, C, R, S] (PyTorch layout, PyTorch default init). Functional twin:
/// <see cref="Ops.Conv2d"/>, which takes the weights as arguments.
/// </summary>
public sealed class Conv2d : Layer
{
    public Conv2d(string name, int inChannels, int outChannels, int kernel, Rng rng, int stride = 1, int padding = 0, bool bias = true, DType dtype = DType.Float32)
    {
        Stride = stride;
        Padding = padding;
        var fanIn = inChannels * kernel * kernel;
        Weight = Parameter.Create(name + ".weight", new Shape(outChannels, inChannels, kernel, kernel), w => Init.PyTorchDefault(w, rng, fanIn), dtype);
        Bias = bias ? Parameter.Create(name + ".bias", new Shape(outChannels), b => Init.PyTorchDefault(b, rng, fanIn), dtype) : null;
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public int Stride { get; }

    public int Padding { get; }

    public override Tensor Forward(Tensor x) => Ops.Conv2d(x, Weight, Bias, Stride, Padding);

    /// <summary>The layer followed by a ReLU, applied inside the convolution kernel (see <see cref="Ops.Conv2d"/>).</summary>
    public Tensor Forward(Tensor x, bool relu) => Ops.Conv2d(x, Weight, Bias, Stride, Padding, relu);

    protected override IEnumerable<Tensor> OwnParameters() => Bias is null ? [Weight] : [Weight, Bias];
}
