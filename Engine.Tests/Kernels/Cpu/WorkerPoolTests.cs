using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

public class WorkerPoolTests
{
    [Test]
    public void Run_ManyJobs_RunsEveryChunkExactlyOnce()
    {
        using var pool = new WorkerPool(2);
        for (var round = 0; round < 2000; round++)
        {
            var job = new CountingJob(1 + round % 9);
            pool.Run(job, job.Counts.Length);
            Assert.That(job.Counts, Has.All.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public void Run_CalledFromInsideAJob_RunsInlineWithoutDeadlock()
    {
        using var pool = new WorkerPool(2);
        var inner = new CountingJob[4];
        var outer = new DelegateJob(chunk =>
        {
            inner[chunk] = new CountingJob(3);
            pool.Run(inner[chunk], 3);
        });
        pool.Run(outer, 4);
        Assert.That(inner.SelectMany(job => job.Counts), Has.All.EqualTo(1));
    }

    [Test]
    public void Run_TwoCallersAtOnce_BothComplete()
    {
        using var pool = new WorkerPool(2);
        var jobs = new[] { new CountingJob(5), new CountingJob(7) };
        Parallel.For(0, 2, i =>
        {
            for (var round = 0; round < 200; round++)
            {
                Array.Clear(jobs[i].Counts);
                pool.Run(jobs[i], jobs[i].Counts.Length);
                Assert.That(jobs[i].Counts, Has.All.EqualTo(1));
            }
        });
    }

    [Test]
    public void Run_ChunkThrows_ExceptionReachesCallerAndPoolStaysUsable()
    {
        using var pool = new WorkerPool(2);
        var failing = new DelegateJob(chunk => throw new InvalidOperationException($"chunk {chunk}"));
        Assert.Throws<InvalidOperationException>(() => pool.Run(failing, 4));
        var job = new CountingJob(6);
        pool.Run(job, 6);
        Assert.That(job.Counts, Has.All.EqualTo(1));
    }

    [Test]
    public void Run_AfterDispose_RunsInline()
    {
        var pool = new WorkerPool(2);
        pool.Run(new CountingJob(2), 2);
        pool.Dispose();
        var job = new CountingJob(3);
        pool.Run(job, 3);
        Assert.That(job.Counts, Has.All.EqualTo(1));
    }

    [TestCase(10, 1, new[] { 0, 5, 10 })]
    [TestCase(7, 1, new[] { 0, 3, 7 })]
    [TestCase(40_000, 16_384, new[] { 0, 20_000, 40_000 })]
    [TestCase(20_000, 16_384, new[] { 0, 20_000 })]
    public void CpuParallelFor_FixedCount_ChunksAreFixedRanges(int count, int minPerChunk, int[] bounds)
    {
        using var pool = new WorkerPool(2);
        var seen = new List<(int, int)>();
        CpuParallel.For(pool, count, minPerChunk, (start, end) =>
        {
            lock (seen)
            {
                seen.Add((start, end));
            }
        });
        var expected = bounds.Zip(bounds.Skip(1));
        Assert.That(seen.Order(), Is.EqualTo(expected).AsCollection);
    }

    private sealed class CountingJob(int chunks) : IWorkerJob
    {
        public int[] Counts { get; } = new int[chunks];

        public void Run(int chunk) => Interlocked.Increment(ref Counts[chunk]);
    }

    private sealed class DelegateJob(Action<int> body) : IWorkerJob
    {
        public void Run(int chunk) => body(chunk);
    }
}
