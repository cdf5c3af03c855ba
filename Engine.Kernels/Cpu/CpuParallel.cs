namespace Engine.Kernels.Cpu;

/// <summary>
/// Splits [0, count) into contiguous chunks run on a <see cref="WorkerPool"/>. Chunk i always covers
/// [count·i/chunks, count·(i+1)/chunks) with chunks = min(threads, count / minPerChunk), so each index
/// is processed by exactly one thread in a fixed order and results do not depend on scheduling.
/// </summary>
internal static class CpuParallel
{
    public static void For(WorkerPool workers, int count, int minPerChunk, Action<int, int> body)
    {
        var chunks = Math.Min(workers.Threads, Math.Max(1, count / Math.Max(1, minPerChunk)));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        workers.Run(new RangeJob(count, chunks, body), chunks);
    }

    /// <summary>Same split on the process-wide pool of <paramref name="threads"/> threads.</summary>
    public static void For(int threads, int count, int minPerChunk, Action<int, int> body)
    {
        if (threads <= 1)
        {
            body(0, count);
            return;
        }

        For(WorkerPool.Shared(threads), count, minPerChunk, body);
    }

    private sealed class RangeJob(int count, int chunks, Action<int, int> body) : IWorkerJob
    {
        public void Run(int chunk) => body((int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));
    }
}
