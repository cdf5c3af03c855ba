using Engine.Kernels;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// Fill, block copies and adds, and reductions on the two-thread backend at sizes that split across the threads (and just
/// below), against plain loops: every element written once, nothing outside the views touched, and the same sums as one
/// thread's order gives (compared exactly, since each slice is summed whole by one thread).
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class ParallelMemoryTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    [TestCase(40_000)]
    [TestCase(32_767)]
    [TestCase(7)]
    public void Fill_WritesEveryElementOfTheView(int length)
    {
        var y = Bench.Output(length, 3);
        Backend.Fill(y, 0.5);
        Assert.That(Bench.ReadGuarded(y, "fill"), Is.All.EqualTo(T.CreateChecked(0.5)));
    }

    [TestCase(40_000)] // split across the threads
    [TestCase(7)]
    public void Copy_WritesEveryElementOfTheView(int length)
    {
        var values = KernelBench<T>.Random(length + 1, length);
        var y = Bench.Output(length, 4);
        Backend.Copy(Bench.View(values, 5), y);
        Assert.That(Bench.ReadGuarded(y, "copy"), Is.EqualTo(values));
    }

    /// <summary>Overlapping views of one buffer copy as one move would (a split copy could read values it had already overwritten).</summary>
    [TestCase(40_000, 1)]
    [TestCase(40_000, -1)]
    public void Copy_OverlappingViews_MovesAsOne(int length, int shift)
    {
        var values = KernelBench<T>.Random(length + 2, length + 1);
        var buffer = Bench.View(values, 6);
        var (from, to) = shift > 0 ? (buffer.Slice(0, length), buffer.Slice(1, length)) : (buffer.Slice(1, length), buffer.Slice(0, length));
        Backend.Copy(from, to);
        var expected = (T[])values.Clone();
        Array.Copy(values, shift > 0 ? 0 : 1, expected, shift > 0 ? 1 : 0, length);
        Assert.That(Bench.Read(buffer), Is.EqualTo(expected));
    }

    [TestCase(32, 12_800, 12_800, 20_018)] // the hypernetwork's weight concatenation: rows split
    [TestCase(1, 50_000, 50_000, 50_000)]  // one long row: columns split
    [TestCase(300, 7, 9, 11)]              // short rows, many of them
    public void CopyAndAddBlocks_MatchPlainLoops(int rows, int cols, int xStride, int yStride)
    {
        var x = KernelBench<T>.Random(rows + cols, (rows - 1) * xStride + cols);
        var start = KernelBench<T>.Random(rows * cols, (rows - 1) * yStride + cols);
        var (copied, added) = (start.ToArray(), start.ToArray());
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                copied[r * yStride + c] = x[r * xStride + c];
                added[r * yStride + c] += x[r * xStride + c];
            }
        }

        var xv = Bench.View(x, 2);
        var copy = Bench.View(start, 1);
        Backend.CopyBlocks(xv, xStride, copy, yStride, rows, cols);
        Assert.That(Bench.ReadGuarded(copy, "copy"), Is.EqualTo(copied));
        var add = Bench.View(start, 4);
        Backend.AddBlocks(xv, xStride, add, yStride, rows, cols);
        Assert.That(Bench.ReadGuarded(add, "add"), Is.EqualTo(added));
    }

    [TestCase(ReduceOp.Sum, 1024, 196, 1)] // the first layer's bias gradient rows
    [TestCase(ReduceOp.Max, 700, 60, 1)]
    [TestCase(ReduceOp.LogSumExp, 300, 120, 1)]
    [TestCase(ReduceOp.Sum, 40, 50, 30)]
    [TestCase(ReduceOp.Max, 40, 50, 30)]
    [TestCase(ReduceOp.LogSumExp, 40, 50, 30)]
    [TestCase(ReduceOp.Sum, 1, 100, 3136)] // a dense layer's bias gradient: one slice, split by inner
    [TestCase(ReduceOp.Max, 1, 37, 1000)]  // split by inner with a short last chunk
    [TestCase(ReduceOp.LogSumExp, 1, 100, 3136)] // one slice, not split: each output's two passes stay with one thread
    public void Reduce_SplitByOuter_IsTheSingleThreadResult(ReduceOp op, int outer, int n, int inner)
    {
        var x = KernelBench<T>.Random(outer + n + inner, outer * n * inner);
        var want = new T[outer * inner];
        Engine.Kernels.Cpu.ReduceKernels.Forward<T>(op, x, want, outer, n, inner);
        var y = Bench.Output(outer * inner, 2);
        Backend.Reduce(op, Bench.View(x, 1), y, outer, n, inner);
        Assert.That(Bench.ReadGuarded(y, $"{op}"), Is.EqualTo(want));
    }
}
