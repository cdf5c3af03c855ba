using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>
/// A registry row: the id used on the command line (lower-case <c>paper/table/dataset/variant</c>),
/// a one-line description, the datasets it reads (checked before it starts) and a factory;
/// <paramref name="Table"/> groups rows into one table of the `report` (e.g. "vampprior/table1"),
/// <paramref name="Paper"/> lists the published numbers our metrics are compared with, and
/// <paramref name="Reported"/> the metrics `report` shows for a row that has no paper numbers
/// (by default its first metric).
/// </summary>
public sealed record ExperimentSpec(
    string Id,
    string Description,
    IReadOnlyList<DatasetInfo> Datasets,
    Func<IExperiment> Create,
    string? Table = null,
    IReadOnlyList<PaperValue>? Paper = null,
    IReadOnlyList<string>? Reported = null)
{
    /// <summary>The report table this row belongs to: <see cref="Table"/>, or the id without its last part.</summary>
    public string TableKey => Table ?? (Id.LastIndexOf('/') is var slash and > 0 ? Id[..slash] : Id);

    public IReadOnlyList<PaperValue> PaperValues => Paper ?? [];
}
