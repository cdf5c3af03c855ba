using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.HyperNet;

/// <summary>
/// The reference's sub-network (spec hypernetwork §4.2): hidden layers are Linear (no bias) →
/// LeakyReLU(0.05) → BatchNorm (ε 1e-7, zero-debiased moving averages with decay 0.98, affine); the last layer is a plain
/// Linear without bias. Weights truncated-normal with std 0.1/√fan_in (TF variance scaling 0.01).
/// </summary>
public sealed class GeneratorMlp : Layer
{
    private readonly Layer[] _layers;

    public GeneratorMlp(string name, int[] sizes, HyperNetOptions options, Rng rng, DType dtype = DType.Float32)
    {
        var layers = new List<Layer>();
        for (var i = 0; i + 1 < sizes.Length; i++)
        {
            var fanIn = sizes[i];
            layers.Add(new Dense($"{name}.{i}", sizes[i], sizes[i + 1], rng, bias: false, dtype: dtype,
                init: (t, r) => Init.TruncatedNormal(t, r, 0.1 / Math.Sqrt(fanIn))));
            if (i + 2 < sizes.Length)
            {
                layers.Add(Activations.LeakyRelu(options.LeakyReluSlope));
                // The reference's decay 0.98 is momentum 0.02; its moving averages are zero-debiased.
                layers.Add(new DebiasedBatchNorm($"{name}.{i}.bn", sizes[i + 1], options.BatchNormMomentum, options.BatchNormEps, dtype));
            }
        }

        _layers = [.. layers];
    }

    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in _layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }

    protected override IEnumerable<Module> Children() => _layers;
}
