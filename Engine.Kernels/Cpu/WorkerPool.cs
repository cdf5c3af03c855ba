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
/// job at a time. The job is an object set into a field, so a call allocates nothing. Chunks are
/// claimed first come first served from one 64-bit ticket (generation | chunk count | next chunk)
/// by compare-and-swap, so a job must make chunk i's work depend only on i; then the result is the
/// same whichever thread runs it. The caller waits only for claimed chunks to finish: a worker the
/// OS has not scheduled yet never holds up a call, and its stale ticket cannot claim a later job's
/// chunks. Workers spin briefly after a job so back-to-back calls skip the kernel wake-up, then sleep
/// on a monitor. A call made while the pool is busy (from inside a job, or from a second thread)
/// runs inline on its own thread, chunk by chunk, so nesting never deadlocks.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private const int MaxChunks = ushort.MaxValue;
    private static readonly long SpinTicks = Stopwatch.Frequency / 5_000; // 200 µs
    private static readonly Dictionary<int, WorkerPool> SharedPools = [];

    private readonly object _gate = new();
    private Thread[]? _threads;
    private IWorkerJob? _job;
    private long _ticket;
    private uint _generation;
    private int _remaining;
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
        if (chunks <= 1 || chunks > MaxChunks || Threads == 1 || _stopping || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
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
            _failure = null;
            _remaining = chunks;
            _generation++;
            Interlocked.Exchange(ref _ticket, Ticket(_generation, chunks, 0)); // full fence: publishes the fields above
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            Drain();
            var spin = new SpinWait();
            while (Volatile.Read(ref _remaining) != 0)
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

    private static long Ticket(uint generation, int chunks, int next) => ((long)generation << 32) | ((long)chunks << 16) | (uint)next;

    private static bool HasWork(long ticket) => (int)(ticket & 0xFFFF) < (int)((ticket >> 16) & 0xFFFF);

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

    /// <summary>Claims and runs chunks of the current job until none is left unclaimed.</summary>
    private void Drain()
    {
        while (true)
        {
            var ticket = Volatile.Read(ref _ticket);
            if (!HasWork(ticket))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue;
            }

            // NOTE: read the job only after the claim: until this chunk is done its job cannot end,
            // so _job is the job the ticket belongs to.
            try
            {
                _job!.Run((int)(ticket & 0xFFFF));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }

            Interlocked.Decrement(ref _remaining);
        }
    }

    private void WorkerLoop()
    {
        while (WaitForWork())
        {
            Drain();
        }
    }

    /// <summary>Spins, then sleeps, until a chunk is claimable; false when the pool is stopping.</summary>
    private bool WaitForWork()
    {
        var deadline = Stopwatch.GetTimestamp() + SpinTicks;
        while (!_stopping)
        {
            if (HasWork(Volatile.Read(ref _ticket)))
            {
                return true;
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                break;
            }

            Thread.SpinWait(8);
        }

        lock (_gate)
        {
            // NOTE: the increment is a full fence, pairing with the exchange in Run: either Run sees
            // a sleeper and pulses, or this thread sees the new ticket and does not wait.
            Interlocked.Increment(ref _sleepers);
            try
            {
                while (!_stopping && !HasWork(Volatile.Read(ref _ticket)))
                {
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }

            return !_stopping;
        }
    }
}
