using Engine.Kernels;

namespace Engine.Benchmarks.Workload;

/// <summary>The runner's workload names (spec/benchmarks.md), with default repeat and warm-up counts.</summary>
public static class WorkloadCatalog
{
    public sealed record Entry(string Name, Func<Workload> Create, int Repeats, int Warmup);

    public static IReadOnlyList<Entry> All { get; } =
    [
        new("sgemm-100x784x300", () => new GemmWorkload(100, 784, 300), 50, 5),
        new("sgemm-100x300x300", () => new GemmWorkload(100, 300, 300), 50, 5),
        new("sgemm-100x300x784", () => new GemmWorkload(100, 300, 784), 50, 5),
        new("sgemm-1024", () => new GemmWorkload(1024, 1024, 1024), 10, 2),
        new("sgemm-4096", () => new GemmWorkload(4096, 4096, 4096), 3, 1),
        new("vae-mlp-step", () => new VaeMlpStepWorkload(), 50, 10),
        new("iwae50-step", () => new Iwae50StepWorkload(), 10, 2),
        new("isnll-mlp", () => new IsNllMlpWorkload(), 3, 1),
        new("vae-vamp-step", () => new VaeVampStepWorkload(), 20, 3),
        new("vae-conv-step", () => new VaeConvStepWorkload(), 20, 3),
        new("hypervae-step", () => new HyperVaeStepWorkload(), 20, 3),
        new("isnll-conv", () => new IsNllConvWorkload(), 3, 1),
        new("hypernet-step", () => new HypernetStepWorkload(), 10, 2),
        new("conv-1x32-fwd", () => new ConvWorkload(1, 32, 28, false, ConvPass.Forward), 20, 3),
        new("conv-1x32-bwd-data", () => new ConvWorkload(1, 32, 28, false, ConvPass.BackwardData), 20, 3),
        new("conv-1x32-bwd-weight", () => new ConvWorkload(1, 32, 28, false, ConvPass.BackwardWeight), 20, 3),
        new("conv-32x64-fwd", () => new ConvWorkload(32, 64, 14, false, ConvPass.Forward), 20, 3),
        new("conv-32x64-bwd-data", () => new ConvWorkload(32, 64, 14, false, ConvPass.BackwardData), 20, 3),
        new("conv-32x64-bwd-weight", () => new ConvWorkload(32, 64, 14, false, ConvPass.BackwardWeight), 20, 3),
        new("convt-64x32-fwd", () => new ConvWorkload(64, 32, 7, true, ConvPass.Forward), 20, 3),
        new("convt-64x32-bwd-data", () => new ConvWorkload(64, 32, 7, true, ConvPass.BackwardData), 20, 3),
        new("convt-64x32-bwd-weight", () => new ConvWorkload(64, 32, 7, true, ConvPass.BackwardWeight), 20, 3),
        new("convt-32x1-fwd", () => new ConvWorkload(32, 1, 14, true, ConvPass.Forward), 20, 3),
        new("convt-32x1-bwd-data", () => new ConvWorkload(32, 1, 14, true, ConvPass.BackwardData), 20, 3),
        new("convt-32x1-bwd-weight", () => new ConvWorkload(32, 1, 14, true, ConvPass.BackwardWeight), 20, 3),
        // one generated net's share of hypernet-step (32 images; the step runs each 32 times): its two 5×5 SAME layers
        new("hconv-1x32-fwd", () => new ConvWorkload(HypernetConv1, false, ConvPass.Forward), 50, 5),
        new("hconv-1x32-bwd-weight", () => new ConvWorkload(HypernetConv1, false, ConvPass.BackwardWeight), 50, 5),
        new("hconv-32x16-fwd", () => new ConvWorkload(HypernetConv2, false, ConvPass.Forward), 50, 5),
        new("hconv-32x16-bwd-data", () => new ConvWorkload(HypernetConv2, false, ConvPass.BackwardData), 50, 5),
        new("hconv-32x16-bwd-weight", () => new ConvWorkload(HypernetConv2, false, ConvPass.BackwardWeight), 50, 5),
    ];

    private static ConvGeometry HypernetConv1 => ConvGeometry.ForConv(32, 1, 28, 28, 32, 5, 5, 1, 2);

    private static ConvGeometry HypernetConv2 => ConvGeometry.ForConv(32, 32, 14, 14, 16, 5, 5, 1, 2);

    /// <summary>
    /// A named workload, or <c>sgemm-MxKxN</c> for any other GEMM shape (C = A·B, A M×K, B K×N), so the shapes inside a
    /// model step can be timed alone (e.g. <c>sgemm-5000x300x784</c>, the IWAE decoder's last layer); a suffix <c>-tn</c>,
    /// <c>-nt</c> or <c>-tt</c> transposes A, B or both (<c>sgemm-100x3136x100-nt</c>, a dense layer's forward).
    /// </summary>
    public static Entry? Find(string name) => All.FirstOrDefault(e => e.Name == name) ?? GemmShape(name);

    private static Entry? GemmShape(string name)
    {
        var parts = name.StartsWith("sgemm-", StringComparison.Ordinal) ? name["sgemm-".Length..].Split('-') : [];
        var trans = parts.Length == 2 ? parts[1] : "nn";
        if (parts.Length is < 1 or > 2 || trans is not ("nn" or "tn" or "nt" or "tt"))
        {
            return null;
        }

        var dims = parts[0].Split('x');
        var sizes = new int[3];
        if (dims.Length != 3 || dims.Select((d, i) => int.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out sizes[i]) && sizes[i] > 0).Contains(false))
        {
            return null;
        }

        var (m, k, n) = (sizes[0], sizes[1], sizes[2]);
        return new Entry(name, () => new GemmWorkload(m, k, n, trans[0] == 't', trans[1] == 't'), 20, 3);
    }
}
