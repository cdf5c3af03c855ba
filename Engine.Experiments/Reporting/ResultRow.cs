namespace Engine.Experiments.Reporting;

/// <summary>
/// One finished run as the report reads it back from its results.json; <paramref name="Reported"/> names
/// the metrics a row without paper numbers shows (empty: its first metric).
/// </summary>
public sealed record ResultRow(
    string Id,
    string Table,
    string Preset,
    ulong Seed,
    DateTimeOffset StartedUtc,
    IReadOnlyDictionary<string, (double Value, string Label)> Metrics,
    IReadOnlyList<PaperValue> Paper,
    string Path,
    IReadOnlyList<string>? Reported = null);
