using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Meta;

/// <summary>
/// The MetaVAE summary network h(D) ("MeanMLPEncoder", spec metavae §2): each set element through
/// D → 784 → 400 → 400 (LeakyReLU 0.2 after the first two layers, last linear), then the mean over
/// the set. The reference divides the sum by the mini-batch size instead of the set size
/// (<paramref name="divideByBatch"/> reproduces that).
/// </summary>
public sealed class MeanMlpSummary(string name, int inputs, int[] hidden, Rng rng, bool divideByBatch = false, DType dtype = DType.Float32) : Module
{
    private readonly Layer[] _layers = Build(name, inputs, hidden, rng, dtype);

    public int Outputs { get; } = hidden[^1];

    /// <summary>Sets [B, N, D] → summaries [B, H].</summary>
    public Tensor Forward(Tensor sets)
    {
        int b = sets.Shape[0], n = sets.Shape[1];
        var h = Ops.Reshape(sets, b * n, -1);
        foreach (var layer in _layers)
        {
            h = layer.Forward(h);
        }

        var sum = Ops.Sum(Ops.Reshape(h, b, n, -1), 1);
        return Ops.Affine(sum, 1.0 / (divideByBatch ? b : n));
    }

    protected override IEnumerable<Module> Children() => _layers;

    private static Layer[] Build(string name, int inputs, int[] hidden, Rng rng, DType dtype) =>
        hidden.Select((size, i) => (Layer)new Dense($"{name}.{i}", i == 0 ? inputs : hidden[i - 1], size, rng,
            i == hidden.Length - 1 ? Activation.None : Activation.LeakyRelu, dtype: dtype, leakySlope: 0.2)).ToArray();
}
