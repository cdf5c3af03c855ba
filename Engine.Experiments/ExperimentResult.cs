using Engine.Experiments.Training;

namespace Engine.Experiments;

/// <summary>What an experiment returns: its metrics, the exact settings it ran with, per-epoch history, data used, files written and notes.</summary>
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

    /// <summary>Files written into the run folder besides results.json/.md (figures, train.csv, weights, checkpoint).</summary>
    public List<string> Files { get; } = [];

    /// <summary>Where training resumed from ("epoch 3, step 40 (global step 240)"), or null for an uninterrupted run.</summary>
    public string? ResumedFrom { get; set; }

    public void Add(string name, double value, string unit, string label) => Metrics.Add(new Metric(name, value, unit, label));

    /// <summary>Takes the history, files and resume point of a finished <see cref="TrainingLoop"/>.</summary>
    public void Record(TrainingOutcome outcome)
    {
        History.AddRange(outcome.History);
        Files.AddRange(outcome.Files.Except(Files));
        ResumedFrom = outcome.ResumedFrom;
    }

    public double? Value(string metric) => Metrics.FirstOrDefault(m => m.Name == metric)?.Value;
}
