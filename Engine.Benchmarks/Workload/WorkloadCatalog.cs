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
    ];

    public static Entry? Find(string name) => All.FirstOrDefault(e => e.Name == name);
}
