using Engine.Core;

namespace Engine.Experiments.Data.Sampling;

/// <summary>
/// Class-grouped mini-batches for HyperVAE / MetaVAE training (hypervae.md §5): each step picks a
/// class uniformly, draws <see cref="BatchSize"/> of its examples without replacement, and picks
/// one of them as the summary element. Step s uses the generator forked with s, so a step can be
/// replayed from the seed alone.
/// </summary>
public sealed class ClassBatchSampler
{
    private readonly int[][] _byClass;
    private readonly int[] _classes;
    private readonly Rng _rng;

    public ClassBatchSampler(IReadOnlyList<byte> labels, int batchSize, Rng rng)
    {
        if (batchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), $"ClassBatchSampler: batch size {batchSize}.");
        }

        _byClass = new int[256][];
        var groups = Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key).ToArray();
        foreach (var g in groups)
        {
            _byClass[g.Key] = g.ToArray();
        }

        var small = groups.Where(g => g.Count() < batchSize).Select(g => $"{g.Key} ({g.Count()})").ToArray();
        if (small.Length > 0)
        {
            throw new ArgumentException($"ClassBatchSampler: classes {string.Join(", ", small)} have fewer than {batchSize} examples; use a smaller batch or drop them.");
        }

        _classes = groups.Select(g => (int)g.Key).ToArray();
        (BatchSize, _rng) = (batchSize, rng);
    }

    public int BatchSize { get; }

    /// <summary>The classes present, ascending.</summary>
    public IReadOnlyList<int> Classes => _classes;

    /// <summary>The indices of one class's examples, in dataset order.</summary>
    public IReadOnlyList<int> Members(int @class) => (@class is >= 0 and < 256 ? _byClass[@class] : null) ?? [];

    /// <summary>The batch of step <paramref name="step"/>.</summary>
    public TaskBatch Step(long step)
    {
        var rng = _rng.Fork((ulong)step);
        var @class = _classes[rng.NextInt(_classes.Length)];
        return Draw(@class, rng);
    }

    /// <summary>A batch of one given class (e.g. for per-class evaluation), drawn from generator <paramref name="rng"/>.</summary>
    public TaskBatch Draw(int @class, Rng rng)
    {
        var members = (@class is >= 0 and < 256 ? _byClass[@class] : null) ?? throw new ArgumentException($"ClassBatchSampler: no examples of class {@class}.");

        // Partial Fisher–Yates: the first BatchSize positions become a uniform sample without replacement.
        var pool = (int[])members.Clone();
        for (var i = 0; i < BatchSize; i++)
        {
            var j = i + rng.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        return new TaskBatch(@class, pool[..BatchSize], rng.NextInt(BatchSize));
    }
}
