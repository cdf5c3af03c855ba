using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.HyperNet;

/// <summary>
/// The MNIST hypernetwork of Deutsch et al. (seed 004, spec hypernetwork §4.2): z ~ U[−1, 1]³⁰⁰ →
/// extractor 300→300→300→855 = 57 codes of 15; weight generators shared across the filters of a layer
/// (W1 15→40→40→26, W2 15→100→100→801, W3 15→100→100→785, W4 15→60→60→90); the generated filters are
/// gauge-fixed and run in the target network. 633,640 parameters.
/// </summary>
public sealed class MnistHyperNetwork : Module
{
    private readonly GeneratorMlp _extractor;
    private readonly GeneratorMlp _w1;
    private readonly GeneratorMlp _w2;
    private readonly GeneratorMlp _w3;
    private readonly GeneratorMlp _w4;

    public MnistHyperNetwork(HyperNetOptions options, Rng rng, DType dtype = DType.Float32)
    {
        Options = options;
        var c = options.CodeSize;
        _extractor = new GeneratorMlp("extractor", [options.NoiseDim, 300, 300, 57 * c], options, rng, dtype);
        _w1 = new GeneratorMlp("w1", [c, 40, 40, 26], options, rng, dtype);
        _w2 = new GeneratorMlp("w2", [c, 100, 100, 801], options, rng, dtype);
        _w3 = new GeneratorMlp("w3", [c, 100, 100, 785], options, rng, dtype);
        _w4 = new GeneratorMlp("w4", [c, 60, 60, 90], options, rng, dtype);
    }

    public HyperNetOptions Options { get; }

    /// <summary>z ~ U[−1, 1]^noise for n networks.</summary>
    public Tensor SampleNoise(int n, Rng rng, DType dtype = DType.Float32) => rng.Uniform(new Shape(n, Options.NoiseDim), -1, 1, dtype);

    /// <summary>The (gauge-fixed, if enabled) weights of the networks for noise z [N, noise].</summary>
    public TargetWeights Generate(Tensor z)
    {
        var n = z.Shape[0];
        var c = Options.CodeSize;
        var codes = Ops.Reshape(_extractor.Forward(z), n, 57, c);
        Tensor Filters(GeneratorMlp generator, int start, int count) =>
            Ops.Reshape(generator.Forward(Ops.Reshape(Ops.Slice(codes, 1, start, count), n * count, c)), n, count, -1);

        var f1 = Filters(_w1, 0, 32);   // [N, 32, 26]: 5×5 taps, bias
        var f2 = Filters(_w2, 32, 16);  // [N, 16, 801]: taps in (row, column, channel) order, bias
        var f3 = Filters(_w3, 48, 8);   // [N, 8, 785]: 784 inputs in (c, h, w) order, bias
        var f4 = Filters(_w4, 56, 1);   // [N, 1, 90]: 8×10 (input unit, class), 10 biases
        var raw = new TargetWeights(
            Ops.Reshape(Ops.Slice(f1, 2, 0, 25), n, 32, 1, 5, 5), Ops.Reshape(Ops.Slice(f1, 2, 25, 1), n, 32),
            Ops.Permute(Ops.Reshape(Ops.Slice(f2, 2, 0, 800), n, 16, 5, 5, 32), 0, 1, 4, 2, 3), Ops.Reshape(Ops.Slice(f2, 2, 800, 1), n, 16),
            Ops.Slice(f3, 2, 0, 784), Ops.Reshape(Ops.Slice(f3, 2, 784, 1), n, 8),
            Ops.Reshape(Ops.Slice(f4, 2, 0, 80), n, 8, 10), Ops.Reshape(Ops.Slice(f4, 2, 80, 10), n, 10));
        return Options.GaugeFixing ? GaugeFixing.Apply(raw, Options.LogitGauge) : raw;
    }

    /// <summary>
    /// λ·mean cross-entropy of every network on its own images x [N, M, 784] with labels [N·M],
    /// minus the Kozachenko–Leonenko entropy of the networks' weights (d = noise dimension).
    /// </summary>
    public HyperNetTerms Loss(Tensor z, Tensor x, int[] labels)
    {
        var (loss, crossEntropy, entropy, flatLogits) = Objective(z, x, Tensor.OneHot(labels, 10, z.DType, z.Backend));
        return new HyperNetTerms(loss, crossEntropy, entropy, Accuracy(flatLogits, labels));
    }

    /// <summary>
    /// The terms of <see cref="Loss"/> with the labels as one-hot rows [N·M, 10] and no accuracy (that reads the logits on
    /// the host), so a training step built on it can be captured: <see cref="CapturedStep"/>.
    /// </summary>
    public (Tensor Loss, Tensor CrossEntropy, Tensor Entropy, Tensor Logits) Objective(Tensor z, Tensor x, Tensor oneHotLabels)
    {
        var weights = Generate(z);
        var logits = MnistTargetNetwork.Forward(weights, x);
        var flatLogits = Ops.Reshape(logits, -1, 10);
        var crossEntropy = Ops.Mean(Ops.SoftmaxCrossEntropy(flatLogits, oneHotLabels));
        var entropy = KozachenkoLeonenko.Estimate(weights.Flatten(), Options.NoiseDim, Options.Metric);
        var loss = Ops.Sub(Ops.Affine(crossEntropy, Options.Lambda), entropy);
        return (loss, crossEntropy, entropy, flatLogits);
    }

    /// <summary>Fraction of rows whose arg-max logit is the label.</summary>
    public static double Accuracy(Tensor logits, int[] labels)
    {
        var values = logits.ToDoubleArray();
        var classes = logits.Shape[-1];
        var correct = 0;
        for (var r = 0; r < labels.Length; r++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                if (values[r * classes + k] > values[r * classes + best])
                {
                    best = k;
                }
            }

            correct += best == labels[r] ? 1 : 0;
        }

        return (double)correct / labels.Length;
    }

    protected override IEnumerable<Module> Children() => [_extractor, _w1, _w2, _w3, _w4];
}
