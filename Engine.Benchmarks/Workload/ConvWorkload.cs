using Engine.Core;
using Engine.Kernels;

namespace Engine.Benchmarks.Workload;

/// <summary>Which convolution kernel a micro-benchmark times (spec h).</summary>
public enum ConvPass
{
    Forward,
    BackwardData,
    BackwardWeight,
}

/// <summary>
/// Benchmark h: batch 100, 3×3, stride 2, pad 1, with bias — a conv2d or transposed conv2d forward,
/// data gradient, or weight + bias gradient, straight on the backend kernels (as PyTorch's
/// convolution_backward with one output mask).
/// </summary>
public sealed class ConvWorkload : Workload
{
    private readonly IBackend _backend = Device.Default;
    private readonly ConvGeometry _g;
    private readonly ConvPass _pass;
    private readonly bool _transposed;
    private readonly Tensor _input;   // the conv's input (x), or a transposed conv's output shape
    private readonly Tensor _weight;
    private readonly Tensor _bias;
    private readonly Tensor _output;  // the conv's output (y), or a transposed conv's input

    /// <param name="transposed">A transposed conv with cIn → cOut is the data gradient of a conv cOut → cIn on the larger image.</param>
    public ConvWorkload(int cIn, int cOut, int size, bool transposed, ConvPass pass)
        : this(transposed
            ? new ConvGeometry(100, cOut, 2 * size, 2 * size, cIn, 3, 3, 2, 2, 1, 1, size, size)
            : ConvGeometry.ForConv(100, cIn, size, size, cOut, 3, 3, 2, 1), transposed, pass)
    {
    }

    /// <summary>Any conv geometry (e.g. one generated net's 5×5 SAME layers in the hypernetwork step: 32 images).</summary>
    public ConvWorkload(ConvGeometry g, bool transposed, ConvPass pass)
    {
        _pass = pass;
        _transposed = transposed;
        var rng = new Rng(7);
        _g = g;
        _input = rng.Normal(new Shape(_g.InputLength));
        _weight = rng.Normal(new Shape(_g.WeightLength));
        _bias = rng.Normal(new Shape(transposed ? _g.C : _g.K));
        _output = rng.Normal(new Shape(_g.OutputLength));
    }

    public override double NominalFlops => _g.Flops;

    public override void Run()
    {
        // For a transposed conv the roles swap: its forward is the conv's data gradient, and so on.
        switch ((_pass, _transposed))
        {
            case (ConvPass.Forward, false):
                _backend.Conv2dForward(_g, _input.View, _weight.View, _bias.View, _output.View, relu: false);
                break;
            case (ConvPass.Forward, true):
            case (ConvPass.BackwardData, false):
                _backend.Conv2dBackwardData(_g, _output.View, _weight.View, null, _input.View, relu: false);
                break;
            case (ConvPass.BackwardData, true):
                _backend.Conv2dForward(_g, _input.View, _weight.View, null, _output.View, relu: false);
                break;
            case (ConvPass.BackwardWeight, false):
                _backend.Conv2dBackwardWeight(_g, _input.View, _output.View, _weight.View, _bias.View);
                break;
            default:
                _backend.Conv2dBackwardWeight(_g, _input.View, _output.View, _weight.View, null);
                break;
        }

        _backend.Synchronize();
    }
}
