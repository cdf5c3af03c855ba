using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>
/// Transposed convolution with W [C_in, C_out, R, S] (PyTorch layout; PyTorch computes its default
/// init fan-in from W.shape[1]·R·S). Functional twin: <see cref="Ops.ConvTranspose2d"/>.
/// </summary>
public sealed class ConvTranspose2d : Layer
{
    public ConvTranspose2d(string name, int inChannels, int outChannels, int kernel, Rng rng, int stride = 1, int padding = 0, int outputPadding = 0, bool bias = true, DType dtype = DType.Float32)
    {
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        var fanIn = outChannels * kernel * kernel;
        Weight = Parameter.Create(name + ".weight", new Shape(inChannels, outChannels, kernel, kernel), w => Init.PyTorchDefault(w, rng, fanIn), dtype);
        Bias = bias ? Parameter.Create(name + ".bias", new Shape(outChannels), b => Init.PyTorchDefault(b, rng, fanIn), dtype) : null;
    }

    public Tensor Weight { get; }

    public Tensor? Bias { get; }

    public int Stride { get; }

    public int Padding { get; }

    public int OutputPadding { get; }

    public override Tensor Forward(Tensor x) => Ops.ConvTranspose2d(x, Weight, Bias, Stride, Padding, OutputPadding);

    protected override IEnumerable<Tensor> OwnParameters() => Bias is null ? [Weight] : [Weight, Bias];
}
