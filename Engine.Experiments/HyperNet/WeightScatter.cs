using Engine.Experiments.Reporting.Figures;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// PCA scatter plots of generated, gauge-fixed weights (spec hypernetwork §4.4, Fig. 6 / App. J):
/// one filter (weights + bias) of layers 1, 2 and 3, the whole first layer and the whole net; PC1 vs PC2
/// per subset, with the variance share of the first three components as metrics.
/// </summary>
public static class WeightScatter
{
    // Offsets in TargetWeights.Flatten(): w1 800, b1 32, w2 12,800, b2 16, w3 6,272, b3 8, w4 80, b4 10.
    private const int B1 = 800;
    private const int W2 = 832;
    private const int B2 = W2 + 12_800;
    private const int W3 = B2 + 16;
    private const int B3 = W3 + 6_272;

    /// <summary>The subsets plotted: name and the indices into a flattened net.</summary>
    public static IReadOnlyList<(string Name, int[] Indices)> Subsets { get; } =
    [
        ("layer1_filter0", [.. Enumerable.Range(0, 25), B1]),
        ("layer2_filter0", [.. Enumerable.Range(W2, 800), B2]),
        ("layer3_filter0", [.. Enumerable.Range(W3, 784), B3]),
        ("layer1", [.. Enumerable.Range(0, W2)]),
        ("whole_net", [.. Enumerable.Range(0, TargetWeights.PerNetwork)]),
    ];

    /// <summary>Writes pca_&lt;subset&gt;.svg for each subset; returns the file names.</summary>
    public static IEnumerable<string> Write(string folder, IReadOnlyList<double[]> nets, ExperimentResult result)
    {
        if (nets.Count < 3)
        {
            yield break;
        }

        foreach (var (name, indices) in Subsets)
        {
            var samples = nets.Select(w => indices.Select(i => w[i]).ToArray()).ToArray();
            var (scores, ratio) = WeightPca.Compute(samples, 3);
            result.Add($"pca_{name}_pc1_share", 100 * ratio[0], "%", $"variance share of the first principal component of {name} over {nets.Count} nets");
            result.Add($"pca_{name}_pc1to3_share", 100 * ratio.Sum(), "%", $"variance share of the first three components of {name}");
            var file = $"pca_{name}.svg";
            ScatterPlot.Write(Path.Combine(folder, file), [new Series(name, [.. scores.Select(r => r[0])], [.. scores.Select(r => r[1])])],
                new ChartOptions($"Generated weights, {name}: PC1 vs PC2 ({nets.Count} nets)", $"PC1 ({100 * ratio[0]:F1} %)", $"PC2 ({100 * ratio[1]:F1} %)"), radius: 2);
            yield return file;
        }
    }
}
