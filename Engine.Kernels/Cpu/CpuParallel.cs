namespace Engine.Kernels.Cpu;

/// <summary>Work on the index range [start, end) of a parallel loop, as a struct so a call allocates nothing.</summary>
internal interface IRangeBody
{
    void Run(int start, int end);
}

/// <summary>
/// Splits [0, count) into contiguous chunks run on a <see cref="WorkerPool"/>. Chunk i always covers
/// [count·i/chunks, count·(i+1)/chunks) with chunks = min(threads, count / minPerChunk), so each index
/// is processed by exactly one thread in a fixed order and results do not depend on scheduling.
/// </summary>
internal static class CpuParallel
{
    /// <summary>Chunk starts of <see cref="For{TBody}"/> are multiples of this many elements (one cache line of doubles × 8).</summary>
    public const int Alignment = 64;

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

    /// <summary>
    /// The same split for a struct body, allocation-free, with every chunk but the last starting and
    /// ending on a multiple of <paramref name="alignment"/> (a power of two): with the default
    /// <see cref="Alignment"/> an elementwise kernel takes the same vector or scalar path for each
    /// element whatever the thread count, so its output is identical on 1 or N threads. Pass 1 when
    /// the indices are rows that are each computed whole.
    /// </summary>
    public static void For<TBody>(WorkerPool workers, int count, int minPerChunk, TBody body, int alignment = Alignment) where TBody : struct, IRangeBody
    {
        var chunks = Math.Min(workers.Threads, Math.Max(1, count / Math.Max(alignment, minPerChunk)));
        if (chunks <= 1)
        {
            body.Run(0, count);
            return;
        }

        var job = BodyJob<TBody>.Take();
        job.Set(body, count, chunks, alignment);
        try
        {
            workers.Run(job, chunks);
        }
        finally
        {
            job.Return();
        }
    }

    /// <summary>
    /// Runs body.Run(i, i + 1) for every i in [0, count), each index its own pool chunk, claimed first come
    /// first served: for a few coarse items (chunks of images), so on a loaded machine a descheduled thread
    /// holds up one item, not a fixed share. Allocation-free; each index is still computed whole by one thread.
    /// </summary>
    public static void ForEach<TBody>(WorkerPool workers, int count, TBody body) where TBody : struct, IRangeBody
    {
        if (workers.Threads == 1 || count <= 1)
        {
            body.Run(0, count);
            return;
        }

        var job = BodyJob<TBody>.Take();
        job.Set(body, count, count, 1);
        try
        {
            workers.Run(job, count);
        }
        finally
        {
            job.Return();
        }
    }

    private sealed class RangeJob(int count, int chunks, Action<int, int> body) : IWorkerJob
    {
        public void Run(int chunk) => body((int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));
    }

    /// <summary>A reusable job per thread and body type; taken out of its slot while in use, so a nested call gets a fresh one.</summary>
    private sealed class BodyJob<TBody> : IWorkerJob where TBody : struct, IRangeBody
    {
        [ThreadStatic] private static BodyJob<TBody>? t_free;

        private TBody _body;
        private int _count;
        private int _chunks;
        private int _alignment;

        public static BodyJob<TBody> Take()
        {
            var job = t_free ?? new BodyJob<TBody>();
            t_free = null;
            return job;
        }

        public void Set(TBody body, int count, int chunks, int alignment) => (_body, _count, _chunks, _alignment) = (body, count, chunks, alignment);

        public void Return()
        {
            _body = default; // drop the body's array references
            t_free = this;
        }

        public void Run(int chunk) => _body.Run(Bound(chunk), Bound(chunk + 1));

        private int Bound(int chunk) => chunk == _chunks ? _count : (int)((long)_count * chunk / _chunks) & ~(_alignment - 1);
    }
}
