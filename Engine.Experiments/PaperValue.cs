namespace Engine.Experiments;

/// <summary>
/// A number from a paper that one of our metrics is compared with: the metric's results.json name,
/// the paper's value in the same unit and sign, and where it comes from (paper, table, column,
/// and any caveat such as a different architecture).
/// </summary>
public sealed record PaperValue(string Metric, double Value, string Source);
