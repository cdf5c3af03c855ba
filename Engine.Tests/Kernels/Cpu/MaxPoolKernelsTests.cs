using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// 2×2 max-pooling forward and backward (vector windows for float32, scalar tails, planes split over two
/// threads) against a float64 loop written from the definition: the first maximal element of each
/// window in the order top-left, top-right, bottom-left, bottom-right. Inputs are small integers, so
/// ties are common and the tie rule is checked; values and routed gradients must match exactly.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class MaxPoolKernelsTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>(planes, H, W): the hypernetwork's 28×28 and 14×14 planes (14 and 7 windows: vector blocks, the last moved back), a narrow plane with scalar windows only, and many planes so both threads run.</summary>
    [TestCase(3, 28, 28)]
    [TestCase(5, 14, 14)]
    [TestCase(2, 4, 6)]
    [TestCase(600, 8, 20)]
    [TestCase(2, 6, 46)] // 23 windows a row: three AVX-512 blocks, the last moved back
    [TestCase(3, 2, 34)] // 17 windows a row: two AVX-512 blocks and one moved back
    [TestCase(2, 6, 30)] // 15 windows: one AVX-512 block and one moved back over 7 of its windows
    [TestCase(3, 4, 8)] // 4 windows: exactly one 256-bit block
    [TestCase(2, 4, 12)] // 6 windows: a 256-bit block and one moved back
    public void MaxPool2x2_WithTies_MatchesReference(int planes, int h, int w)
    {
        var random = new System.Random(planes * 1000 + h * 31 + w);
        var xValues = Enumerable.Range(0, planes * h * w).Select(_ => (double)random.Next(-2, 3)).ToArray();
        var dyValues = Enumerable.Range(0, planes * h * w / 4).Select(_ => random.Next(1, 200) / 8.0).ToArray(); // exact in float32
        var (wantY, wantDx) = Reference(xValues, dyValues, planes, h, w);

        var x = Bench.View(Array.ConvertAll(xValues, T.CreateChecked), 3);
        var dy = Bench.View(Array.ConvertAll(dyValues, T.CreateChecked), 5);
        var y = Bench.Output(wantY.Length, 1);
        var dx = Bench.Output(wantDx.Length, 7);
        Backend.MaxPool2x2(x, y, planes, h, w);
        Backend.MaxPool2x2Backward(x, dy, dx, planes, h, w);

        KernelBench<T>.AssertClose(wantY, Bench.ReadGuarded(y, "y"), "MaxPool2x2", tolerance: 0);
        KernelBench<T>.AssertClose(wantDx, Bench.ReadGuarded(dx, "dx"), "MaxPool2x2Backward", tolerance: 0);
    }

    private static (double[] Y, double[] Dx) Reference(double[] x, double[] dy, int planes, int h, int w)
    {
        var y = new double[planes * h * w / 4];
        var dx = new double[x.Length];
        for (var plane = 0; plane < planes; plane++)
        {
            for (var i = 0; i < h / 2; i++)
            {
                for (var j = 0; j < w / 2; j++)
                {
                    var topLeft = plane * h * w + 2 * i * w + 2 * j;
                    var best = topLeft;
                    foreach (var candidate in new[] { topLeft + 1, topLeft + w, topLeft + w + 1 })
                    {
                        best = x[candidate] > x[best] ? candidate : best;
                    }

                    var o = (plane * (h / 2) + i) * (w / 2) + j;
                    y[o] = x[best];
                    dx[best] = dy[o];
                }
            }
        }

        return (y, dx);
    }
}
