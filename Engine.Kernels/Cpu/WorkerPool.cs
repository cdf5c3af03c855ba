using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Engine.Kernels.Cpu;

/// <summary>One piece of parallel work: <see cref="Run"/> is called once for every chunk in [0, chunks).</summary>
internal interface IWorkerJob
{
    void Run(int chunk);
}

/// <summary>
/// A fixed set of background threads that, together with the calling thread, run the chunks of one
/// job at a time. A job is an object set into a field, so a call allocates nothing. Chunks are
/// claimed first come first served, so a job must make chunk i's work depend only on i (the caller
/// decides what chunk i covers); then the result is the same whichever thread runs it. Workers spin
/// briefly after a job so back-to-back calls skip the kernel wake-up, then sleep on a monitor.
/// A call made while the pool is busy (from inside a job, or from a second thread) runs inline on
/// its own thread, chunk by chunk, so nesting never deadlocks.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs
    private static readonly Dictionary<int, WorkerPool> SharedPools = [];

    private readonly object _gate = new();
    private Thread[]? _threads;
    private IWorkerJob? _job;
    private int _chunks;
    private int _nextChunk;
    private int _running;
    private int _generation;
    private int _sleepers;
    private int _busy;
    private volatile bool _stopping;
    private Exception? _failure;

    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
    }

    /// <summary>Threads that run a job, the calling thread included.</summary>
    public int Threads { get; }

    /// <summary>A process-wide pool for callers that hold a thread count but no backend.</summary>
    public static WorkerPool Shared(int threads)
    {
        lock (SharedPools)
        {
            if (!SharedPools.TryGetValue(threads, out var pool))
            {
                pool = new WorkerPool(threads);
                SharedPools.Add(threads, pool);
            }

            return pool;
        }
    }

    /// <summary>Runs job.Run(i) for every i in [0, chunks) and returns when all have finished.</summary>
    public void Run(IWorkerJob job, int chunks)
    {
        if (chunks <= 1 || Threads == 1 || _stopping || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (var i = 0; i < chunks; i++)
            {
                job.Run(i);
            }

            return;
        }

        try
        {
            _threads ??= StartThreads();
            _job = job;
            _chunks = chunks;
            _nextChunk = 0;
            _failure = null;
            _running = _threads.Length;
            Interlocked.Increment(ref _generation); // full fence: publishes the fields above
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            Drain(job, chunks);
            var spin = new SpinWait();
            while (Volatile.Read(ref _running) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            _job = null;
            if (_failure is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Stops the workers (they are background threads, so an undisposed pool never blocks exit).</summary>
    public void Dispose()
    {
        _stopping = true;
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }

        foreach (var thread in _threads ?? [])
        {
            thread.Join(TimeSpan.FromSeconds(1));
        }
    }

    private Thread[] StartThreads()
    {
        var threads = new Thread[Threads - 1];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"Engine worker {i + 1}" };
            threads[i].Start();
        }

        return threads;
    }

    private void Drain(IWorkerJob job, int chunks)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk) - 1) < chunks)
        {
            try
            {
                job.Run(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
        }
    }

    private void WorkerLoop()
    {
        var seen = 0;
        while (WaitForJob(seen) is var generation && generation != seen)
        {
            seen = generation;
            Drain(_job!, _chunks);
            Interlocked.Decrement(ref _running);
        }
    }

    /// <summary>The next generation after <paramref name="seen"/>; <paramref name="seen"/> itself only when stopping.</summary>
    private int WaitForJob(int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (true)
        {
            var generation = Volatile.Read(ref _generation);
            if (generation != seen || _stopping)
            {
                return generation;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                break;
            }

            Thread.SpinWait(8);
        }

        lock (_gate)
        {
            // NOTE: the increment is a full fence, pairing with the one in Run: either Run sees a
            // sleeper and pulses, or this thread sees the new generation and does not wait.
            Interlocked.Increment(ref _sleepers);
            try
            {
                while (!_stopping && Volatile.Read(ref _generation) == seen)
                {
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }

            return Volatile.Read(ref _generation);
        }
    }
}
