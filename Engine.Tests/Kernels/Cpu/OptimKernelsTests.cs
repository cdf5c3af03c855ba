using Engine.Kernels.Cpu;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// CpuBackend.AdamStep, SgdStep and SumOfSquares against <see cref="ReferenceOptim"/> and a float64
/// sum at every length 0 … 3W + 1, misaligned views, and one large odd length split across two threads.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class OptimKernelsTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static IEnumerable<int> Lengths => KernelBench<T>.AllLengths.Append(KernelBench<T>.LargeOddLength);

    [Test]
    public void AdamStep_AllLengths_MatchesReference([Values(0.0, 0.01)] double weightDecay)
    {
        foreach (var n in Lengths)
        {
            var p = KernelBench<T>.Random(n + 1, n);
            var g = KernelBench<T>.Random(n + 2, n, 0.1);
            var m = KernelBench<T>.Random(n + 3, n, 0.01);
            var v = Array.ConvertAll(KernelBench<T>.Random(n + 4, n, 1e-3), T.Abs);
            const double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, c1 = 1 - 0.9 * 0.9 * 0.9, c2 = 1 - 0.999 * 0.999 * 0.999, scale = 0.7;
            var (pWant, mWant, vWant) = ReferenceOptim.Adam<T>(p, g, m, v, lr, beta1, beta2, eps, c1, c2, weightDecay, scale);
            var (pv, gv, mv, vv) = (Bench.View(p, 1), Bench.View(g, 2), Bench.View(m, 3), Bench.View(v, 5));
            Backend.AdamStep(pv, gv, mv, vv, lr, beta1, beta2, eps, c1, c2, weightDecay, scale);
            KernelBench<T>.AssertClose(pWant, Bench.ReadGuarded(pv, "p"), $"Adam p, length {n}");
            KernelBench<T>.AssertClose(mWant, Bench.ReadGuarded(mv, "m"), $"Adam m, length {n}");
            KernelBench<T>.AssertClose(vWant, Bench.ReadGuarded(vv, "v"), $"Adam v, length {n}");
        }
    }

    /// <summary>
    /// Subnormal gradients and moments are read as 0, and moments that would become subnormal are stored as 0
    /// (OptimKernels.Adam's reason: the assists on decaying moments). Every vector path and the scalar tail see them.
    /// </summary>
    [Test]
    public void AdamStep_SubnormalGradientsAndMoments_BecomeZero()
    {
        var tiny = typeof(T) == typeof(float) ? T.CreateChecked(1e-39) : T.CreateChecked(1e-310);
        Assert.That(T.IsSubnormal(tiny), Is.True);
        const int n = 3 * 16 + 5;
        var p = KernelBench<T>.Random(1, n);
        var g = Enumerable.Repeat(tiny, n).ToArray();
        var m = Enumerable.Repeat(tiny, n).ToArray();
        var v = Enumerable.Repeat(tiny, n).ToArray();
        var (pv, gv, mv, vv) = (Bench.View(p, 1), Bench.View(g, 2), Bench.View(m, 3), Bench.View(v, 5));
        Backend.AdamStep(pv, gv, mv, vv, 1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0, 1);
        Assert.That(Bench.ReadGuarded(mv, "m"), Is.All.EqualTo(T.Zero));
        Assert.That(Bench.ReadGuarded(vv, "v"), Is.All.EqualTo(T.Zero));
        Assert.That(Bench.ReadGuarded(pv, "p"), Is.EqualTo(p), "a zero moment moves no parameter");
    }

    [Test]
    public void SgdStep_AllLengths_MatchesReference([Values] bool withMomentum)
    {
        foreach (var n in Lengths)
        {
            var p = KernelBench<T>.Random(n + 1, n);
            var g = KernelBench<T>.Random(n + 2, n);
            var b = withMomentum ? KernelBench<T>.Random(n + 3, n) : [];
            var (pWant, bWant) = ReferenceOptim.Sgd<T>(p, g, b, 0.05, 0.9, 0.5);
            var (pv, gv) = (Bench.View(p, 3), Bench.View(g, 1));
            var bv = withMomentum ? Bench.View(b, 2) : (Engine.Kernels.BufferView?)null;
            Backend.SgdStep(pv, gv, bv, 0.05, 0.9, 0.5);
            KernelBench<T>.AssertClose(pWant, Bench.ReadGuarded(pv, "p"), $"SGD p, length {n}");
            if (bv is { } buffer)
            {
                KernelBench<T>.AssertClose(bWant, Bench.ReadGuarded(buffer, "buffer"), $"SGD buffer, length {n}");
            }
        }
    }

    [Test]
    public void SumOfSquaresAndSum_AllLengths_MatchFloat64Sums()
    {
        foreach (var n in Lengths)
        {
            var x = KernelBench<T>.Random(n + 7, n, 3, 0.5);
            double squares = 0, sum = 0;
            foreach (var v in x)
            {
                squares += double.CreateChecked(v) * double.CreateChecked(v);
                sum += double.CreateChecked(v);
            }

            // Both accumulate in float64 and differ only in the order of additions: each is within
            // (n − 1)·u·Σ|terms| of the exact sum (Higham, Accuracy and Stability, §4.2), u = 2⁻⁵³.
            var view = Bench.View(x, 3);
            var bound = 2 * Math.Max(1, n - 1) * Math.Pow(2, -53);
            Assert.That(Backend.SumOfSquares(view), Is.EqualTo(squares).Within(bound * squares), $"SumOfSquares, length {n}");
            var absSum = x.Sum(v => Math.Abs(double.CreateChecked(v)));
            Assert.That(Backend.Sum(view), Is.EqualTo(sum).Within(bound * absSum), $"Sum, length {n}");
        }
    }

    [Test]
    public void AdamStep_MismatchedViews_Throw()
    {
        var p = Bench.View(KernelBench<T>.Random(1, 10), 0);
        var m = Bench.View(KernelBench<T>.Random(2, 9), 0);
        Assert.Throws<ArgumentException>(() => Backend.AdamStep(p, p, m, p, 1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001, 0, 1));
    }
}
