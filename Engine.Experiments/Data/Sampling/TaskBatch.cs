namespace Engine.Experiments.Data.Sampling;

/// <summary>
/// One "mini-batch as task": indices of examples that all have label <see cref="Class"/>, and the
/// summary element d drawn from among them (it stays in the batch; hypervae.md §5 step 2).
/// </summary>
public sealed record TaskBatch(int Class, int[] Indices, int SummaryPosition)
{
    /// <summary>Dataset index of the summary element.</summary>
    public int Summary => Indices[SummaryPosition];
}
