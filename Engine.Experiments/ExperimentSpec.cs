using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>
/// A registry row: the id used on the command line (lower-case <c>paper/table/dataset/variant</c>),
/// a one-line description, the datasets it reads (checked before it starts) and a factory.
/// </summary>
public sealed record ExperimentSpec(string Id, string Description, IReadOnlyList<DatasetInfo> Datasets, Func<IExperiment> Create);
