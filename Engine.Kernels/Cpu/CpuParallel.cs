namespace Engine.Kernels.Cpu;

/// <summary>
/// Splits [0, count) into contiguous chunks over the backend's threads. Each index is processed by
/// exactly one thread in a fixed order, so results do not depend on scheduling.
/// </summary>
internal static class CpuParallel
{
    public static void For(int threads, int count, int minPerChunk, Action<int, int> body)
    {
        var chunks = Math.Min(threads, Math.Max(1, count / Math.Max(1, minPerChunk)));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var start = (int)((long)count * c / chunks);
            var end = (int)((long)count * (c + 1) / chunks);
            body(start, end);
        });
    }
}
