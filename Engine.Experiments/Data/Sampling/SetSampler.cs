using Engine.Core;

namespace Engine.Experiments.Data.Sampling;

/// <summary>
/// Context sets for MetaVAE-style models (spec metavae §3): for each of <c>rows</c> query items, a
/// separate set of <c>n</c> items drawn uniformly from a pool, without replacement (with
/// replacement only when the pool is smaller than <c>n</c>).
/// </summary>
public static class SetSampler
{
    /// <summary>The indices [rows][n] of each set.</summary>
    public static int[][] Indices(int poolCount, int rows, int n, Rng rng)
    {
        if (poolCount <= 0 || n <= 0 || rows < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), $"SetSampler: sets of {n} from a pool of {poolCount} for {rows} rows.");
        }

        var sets = new int[rows][];
        var replace = poolCount < n;
        var seen = new HashSet<int>();
        for (var r = 0; r < rows; r++)
        {
            var set = new int[n];
            seen.Clear();
            for (var k = 0; k < n; k++)
            {
                int pick;
                do
                {
                    pick = rng.NextInt(poolCount);
                }
                while (!replace && !seen.Add(pick));
                set[k] = pick;
            }

            sets[r] = set;
        }

        return sets;
    }

    /// <summary>The sets' pixels, [rows, n, Dim] row-major.</summary>
    public static float[] Draw(ImageSet pool, int rows, int n, Rng rng)
    {
        var pixels = new float[rows * n * pool.Dim];
        Draw(pool, rows, n, rng, pixels);
        return pixels;
    }

    /// <summary>
    /// The same draw written into <paramref name="destination"/> (exactly rows·n·Dim values), so a
    /// training loop can reuse one buffer instead of allocating a large array per step.
    /// </summary>
    public static void Draw(ImageSet pool, int rows, int n, Rng rng, Span<float> destination)
    {
        if (destination.Length != rows * n * pool.Dim)
        {
            throw new ArgumentException($"SetSampler.Draw: room for {destination.Length} values, {rows} sets of {n} rows of {pool.Dim} need {rows * n * pool.Dim}.");
        }

        var sets = Indices(pool.Count, rows, n, rng);
        for (var r = 0; r < rows; r++)
        {
            ShuffledBatches.Gather(pool, sets[r], destination.Slice(r * n * pool.Dim, n * pool.Dim));
        }
    }
}
