using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// Binary broadcasting (whose contiguous axes are merged and, when long, split across threads),
/// bias + activation rows, and the reduction VJPs with a vectorised inner == 1 path, against float64
/// loops written from the definitions.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class BinaryAndReduceKernelsTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>(shape, a's shape, b's shape): same shapes, row and column broadcasts, a scalar, size-1 axes, and one long flat case.</summary>
    public static IEnumerable<TestCaseData> Shapes()
    {
        yield return new TestCaseData(new[] { 3, 5, 7 }, new[] { 3, 5, 7 }, new[] { 3, 5, 7 });
        yield return new TestCaseData(new[] { 4, 37 }, new[] { 4, 37 }, new[] { 1, 37 });
        yield return new TestCaseData(new[] { 4, 37 }, new[] { 4, 1 }, new[] { 4, 37 });
        yield return new TestCaseData(new[] { 2, 1, 33 }, new[] { 2, 1, 33 }, new[] { 1, 1, 1 });
        yield return new TestCaseData(new[] { 5, 3, 1, 17 }, new[] { 5, 1, 1, 17 }, new[] { 1, 3, 1, 1 });
        yield return new TestCaseData(new[] { 3, 32_771 }, new[] { 3, 32_771 }, new[] { 3, 32_771 });
        yield return new TestCaseData(new[] { 3, 32_771 }, new[] { 1, 1 }, new[] { 3, 32_771 });
    }

    [TestCaseSource(nameof(Shapes))]
    public void Binary_Broadcasts_MatchesReference(int[] shape, int[] aShape, int[] bShape)
    {
        var n = shape.Aggregate(1, (p, d) => p * d);
        var a = KernelBench<T>.Random(1, aShape.Aggregate(1, (p, d) => p * d));
        var b = Array.ConvertAll(KernelBench<T>.Random(2, bShape.Aggregate(1, (p, d) => p * d)), v => v + T.CreateChecked(5)); // away from 0 for Div
        var (aStrides, bStrides) = (BroadcastStrides(aShape), BroadcastStrides(bShape));
        var index = new int[shape.Length];
        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            var want = new double[n];
            for (var i = 0; i < n; i++)
            {
                int rest = i, ai = 0, bi = 0;
                for (var axis = shape.Length - 1; axis >= 0; axis--)
                {
                    index[axis] = rest % shape[axis];
                    rest /= shape[axis];
                    ai += index[axis] * aStrides[axis];
                    bi += index[axis] * bStrides[axis];
                }

                var (x, y) = (double.CreateChecked(a[ai]), double.CreateChecked(b[bi]));
                want[i] = op switch { BinaryOp.Add => x + y, BinaryOp.Sub => x - y, BinaryOp.Mul => x * y, _ => x / y };
            }

            var output = Bench.Output(n, 3);
            Backend.Binary(op, Bench.View(a, 1), aStrides, Bench.View(b, 2), bStrides, output, shape);
            KernelBench<T>.AssertClose(want, Bench.ReadGuarded(output, $"{op}"), $"{op} [{string.Join(",", shape)}]");
        }
    }

    [Test]
    public void Binary_StridesReachingPastTheView_Throw()
    {
        var a = Bench.View(KernelBench<T>.Random(1, 12), 0);
        var y = Bench.Output(12, 0);
        Assert.Throws<ArgumentException>(() => Backend.Binary(BinaryOp.Add, a, [4, 1], a.Slice(0, 11), [4, 1], y, [3, 4]));
    }

    [Test]
    public void BiasActivation_Rows_MatchesReference([Values(UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Softplus)] UnaryOp activation, [Values(7, 300)] int rows)
    {
        const int cols = 131;
        var y = KernelBench<T>.Random(3, rows * cols, 2);
        var bias = KernelBench<T>.Random(4, cols);
        var want = new double[rows * cols];
        for (var i = 0; i < want.Length; i++)
        {
            var pre = T.CreateChecked(double.CreateChecked(y[i]) + double.CreateChecked(bias[i % cols]));
            want[i] = ReferenceElementwise.Forward(activation, double.CreateChecked(pre), 0.05, 0);
        }

        var view = Bench.View(y, 1);
        Backend.BiasActivation(view, Bench.View(bias, 2), rows, cols, activation, 0.05);
        KernelBench<T>.AssertClose(want, Bench.ReadGuarded(view, "y"), $"{activation} bias rows");
    }

    [Test]
    public void ReduceBackward_InnerOne_MatchesReference([Values(ReduceOp.Sum, ReduceOp.LogSumExp)] ReduceOp op)
    {
        foreach (var n in KernelBench<T>.AllLengths.Where(n => n > 0))
        {
            const int outer = 3;
            var x = KernelBench<T>.Random(n, outer * n, 4);
            var dy = KernelBench<T>.Random(n + 1, outer);
            var (yWant, dxWant) = (new double[outer], new double[outer * n]);
            for (var o = 0; o < outer; o++)
            {
                var row = x.Skip(o * n).Take(n).Select(double.CreateChecked).ToArray();
                var max = row.Max();
                yWant[o] = op == ReduceOp.Sum ? row.Sum() : max + Math.Log(row.Sum(v => Math.Exp(v - max)));
                for (var j = 0; j < n; j++)
                {
                    dxWant[o * n + j] = double.CreateChecked(dy[o]) * (op == ReduceOp.Sum ? 1 : Math.Exp(row[j] - yWant[o]));
                }
            }

            var (xv, y) = (Bench.View(x, 1), Bench.Output(outer, 2));
            Backend.Reduce(op, xv, y, outer, n, 1);
            var dx = Bench.Output(outer * n, 3);
            Backend.ReduceBackward(op, xv, y, Bench.View(dy, 2), dx, outer, n, 1);
            KernelBench<T>.AssertClose(yWant, Bench.ReadGuarded(y, "y"), $"{op}, n = {n}");
            KernelBench<T>.AssertClose(dxWant, Bench.ReadGuarded(dx, "dx"), $"{op} backward, n = {n}");
        }
    }

    private static int[] BroadcastStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        var stride = 1;
        for (var axis = shape.Length - 1; axis >= 0; axis--)
        {
            strides[axis] = shape[axis] == 1 ? 0 : stride;
            stride *= shape[axis];
        }

        return strides;
    }
}
