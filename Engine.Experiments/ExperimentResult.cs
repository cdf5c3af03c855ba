namespace Engine.Experiments;

/// <summary>What an experiment returns: its metrics, the exact settings it ran with, per-epoch history, data used and notes.</summary>
public sealed class ExperimentResult
{
    public List<Metric> Metrics { get; } = [];

    /// <summary>Every option of the run (a record; serialised as-is into results.json).</summary>
    public object? Config { get; set; }

    public List<EpochRecord> History { get; } = [];

    /// <summary>Dataset name → folder it was read from.</summary>
    public Dictionary<string, string> Data { get; } = [];

    /// <summary>Caveats a reader of the numbers must know (subsets, sample counts, protocol).</summary>
    public List<string> Notes { get; } = [];

    public void Add(string name, double value, string unit, string label) => Metrics.Add(new Metric(name, value, unit, label));
}
