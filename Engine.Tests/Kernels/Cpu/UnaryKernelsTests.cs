using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// CpuBackend.Unary and UnaryBackward for every op against <see cref="ReferenceElementwise"/> at every
/// length 0 … 3W + 1 (W = 16 floats), on views misaligned by 1 and 3 elements, and at one large odd
/// length that is split across two threads. scripts/test-simd-paths.sh reruns these with 512-bit
/// vectors and with all intrinsics disabled, so the 256-bit and scalar paths are checked too.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class UnaryKernelsTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    [Test]
    public void Forward_AllLengths_MatchesReference([Values] UnaryOp op)
    {
        foreach (var n in KernelBench<T>.AllLengths)
        {
            CheckForward(op, n, xOffset: 1, yOffset: 3);
        }
    }

    [Test]
    public void Backward_AllLengths_MatchesReference([Values] UnaryOp op)
    {
        foreach (var n in KernelBench<T>.AllLengths)
        {
            CheckBackward(op, n, offset: 3);
        }
    }

    [Test]
    public void ForwardAndBackward_LargeOddLength_MatchReference([Values] UnaryOp op)
    {
        CheckForward(op, KernelBench<T>.LargeOddLength, xOffset: 5, yOffset: 2);
        CheckBackward(op, KernelBench<T>.LargeOddLength, offset: 1);
    }

    [Test]
    public void ForwardAndBackward_InPlace_MatchReference([Values(UnaryOp.Softplus, UnaryOp.LeakyRelu, UnaryOp.Relu)] UnaryOp op)
    {
        var n = 37;
        var (x, p0, p1) = Inputs(op, n, seed: 11);
        var expected = new double[n];
        ReferenceElementwise.Forward<T>(op, x, expected, p0, p1);
        var view = Bench.View(x, 2);
        Backend.Unary(op, view, view, p0, p1);
        KernelBench<T>.AssertClose(expected, Bench.ReadGuarded(view, $"{op} in place"), $"{op} in place");

        var dy = KernelBench<T>.Random(12, n);
        var dx = new double[n];
        ReferenceElementwise.Backward<T>(op, x, x, dy, dx, p0, p1);
        var xView = Bench.View(x, 1);
        var dyView = Bench.View(dy, 1);
        Backend.UnaryBackward(op, xView, xView, dyView, dyView, p0, p1);
        KernelBench<T>.AssertClose(dx, Bench.ReadGuarded(dyView, $"{op} backward in place"), $"{op} backward in place");
    }

    [Test]
    public void Forward_OneOrTwoThreads_BitIdentical([Values(UnaryOp.Softplus, UnaryOp.Exp)] UnaryOp op)
    {
        using var single = new CpuBackend(threads: 1);
        var (x, p0, p1) = Inputs(op, KernelBench<T>.LargeOddLength, seed: 5);
        var results = new List<T[]>();
        foreach (var backend in new[] { single, Backend })
        {
            var bench = new KernelBench<T>(backend);
            var y = bench.Output(x.Length, 0);
            backend.Unary(op, bench.View(x, 0), y, p0, p1);
            results.Add(bench.Read(y));
        }

        Assert.That(results[1], Is.EqualTo(results[0]));
    }

    [Test]
    public void Backward_ViewsOfDifferentLengths_Throw()
    {
        var x = Bench.View(KernelBench<T>.Random(1, 10), 0);
        var shorter = Bench.View(KernelBench<T>.Random(2, 9), 0);
        Assert.Throws<ArgumentException>(() => Backend.UnaryBackward(UnaryOp.Relu, shorter, x, x, x));
    }

    private void CheckForward(UnaryOp op, int n, int xOffset, int yOffset)
    {
        var (x, p0, p1) = Inputs(op, n, seed: 100 + n);
        var expected = new double[n];
        ReferenceElementwise.Forward<T>(op, x, expected, p0, p1);
        var y = Bench.Output(n, yOffset);
        Backend.Unary(op, Bench.View(x, xOffset), y, p0, p1);
        var what = $"{op} forward, length {n}";
        KernelBench<T>.AssertClose(expected, Bench.ReadGuarded(y, what), what);
    }

    private void CheckBackward(UnaryOp op, int n, int offset)
    {
        var (x, p0, p1) = Inputs(op, n, seed: 200 + n);
        var yExact = new double[n];
        ReferenceElementwise.Forward<T>(op, x, yExact, p0, p1);
        var y = Array.ConvertAll(yExact, T.CreateChecked);
        var dy = KernelBench<T>.Random(300 + n, n);
        var expected = new double[n];
        ReferenceElementwise.Backward<T>(op, x, y, dy, expected, p0, p1);
        var dx = Bench.Output(n, offset);
        Backend.UnaryBackward(op, Bench.View(x, offset + 1), Bench.View(y, offset + 2), Bench.View(dy, offset), dx, p0, p1);
        var what = $"{op} backward, length {n}";
        KernelBench<T>.AssertClose(expected, Bench.ReadGuarded(dx, what), what);
    }

    /// <summary>Inputs in each op's domain, away from kinks, spanning both signs and saturated regions of σ, softplus, tanh.</summary>
    private static (T[] X, double P0, double P1) Inputs(UnaryOp op, int n, int seed) => op switch
    {
        UnaryOp.Log or UnaryOp.Sqrt => (Array.ConvertAll(KernelBench<T>.Random(seed, n, 2), v => T.Abs(v) + T.CreateChecked(0.1)), 0, 0),
        UnaryOp.Pow => (Array.ConvertAll(KernelBench<T>.Random(seed, n), v => T.Abs(v) + T.CreateChecked(0.1)), 2.5, 0),
        UnaryOp.Clamp => (KernelBench<T>.Random(seed, n, 2), -1, 1.5),
        UnaryOp.LeakyRelu => (KernelBench<T>.Random(seed, n, 3), 0.05, 0),
        UnaryOp.Affine => (KernelBench<T>.Random(seed, n, 3), 1.5, -0.25),
        UnaryOp.Exp => (KernelBench<T>.Random(seed, n, 3), 0, 0),
        _ => (KernelBench<T>.Random(seed, n, 8), 0, 0),
    };
}
