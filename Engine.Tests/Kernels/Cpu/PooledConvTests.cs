using Engine.Kernels;
using Engine.Kernels.Cpu.Conv;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// Pooling with winners, unpooling, and the fused convolution + pool against float64 loops (<see cref="ReferencePooling"/>,
/// <see cref="DirectConvReference"/>): every pooled row width from 1 to 35 windows (whole and partial 16-window blocks),
/// ties, planes split between both threads, guard zones around every output (the vector paths store whole blocks and
/// must stop at each view's end), and both routes of the fused kernel.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class PooledConvTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    /// <summary>
    /// Float32 routes: the hypernetwork's first layer on 5 images and two more <see cref="WideConv"/> shapes (pooled in
    /// registers; the 5×5 ones take <see cref="PooledWeightGradient"/>, one with 3 input channels and 2 channel vectors);
    /// its second layer (one channel vector, row pairs), a two-vector layer and a stride-2 layer on
    /// <see cref="DirectConv"/> (pooled in the channels-last staging block); and one im2col shape. The second layer's weight
    /// gradient and a stride-2, 3 × 5 one with two pairs of channel vectors take <see cref="WinnerWeightGradient"/>.
    /// </summary>
    private static readonly ConvGeometry[] FusedCases =
    [
        ConvGeometry.ForConv(n: 5, c: 1, h: 28, w: 28, k: 16, r: 5, s: 5, stride: 1, pad: 2),
        ConvGeometry.ForConv(n: 3, c: 2, h: 12, w: 32, k: 8, r: 3, s: 3, stride: 1, pad: 1),
        ConvGeometry.ForConv(n: 2, c: 3, h: 12, w: 20, k: 32, r: 5, s: 5, stride: 1, pad: 2),
        ConvGeometry.ForConv(n: 3, c: 32, h: 14, w: 14, k: 16, r: 5, s: 5, stride: 1, pad: 2),
        ConvGeometry.ForConv(n: 2, c: 8, h: 10, w: 12, k: 32, r: 5, s: 5, stride: 1, pad: 2),
        ConvGeometry.ForConv(n: 2, c: 8, h: 16, w: 16, k: 16, r: 4, s: 4, stride: 2, pad: 1),
        ConvGeometry.ForConv(n: 2, c: 3, h: 8, w: 8, k: 4, r: 3, s: 3, stride: 1, pad: 1),
        ConvGeometry.ForConv(n: 5, c: 64, h: 10, w: 12, k: 8, r: 3, s: 5, stride: 2, pad: 2),
    ];

    public static IEnumerable<(int Planes, int H, int W)> PoolShapes =>
        Enumerable.Range(1, 35).Select(ow => (3, 4, 2 * ow))
            .Append((2, 2, 2))
            .Append((64, 28, 28)); // split between both threads

    [Test]
    public void PoolWithWinners_AndUnpool_MatchReference()
    {
        foreach (var (planes, h, w) in PoolShapes)
        {
            var x = KernelBench<T>.Random(w + 50, planes * h * w);
            AssertPooling(x, planes, h, w, $"{planes}×{h}×{w}");
        }
    }

    [Test]
    public void Ties_TakeTheFirstMaximalElement()
    {
        // every window of plane 0 is constant (code 0); plane 1 repeats its top row below (a top element wins) and each pair
        // of columns (left wins); plane 2 rises to the right then repeats (top-right wins)
        int h = 4, w = 36;
        var values = new double[3 * h * w];
        for (var i = 0; i < h; i++)
        {
            for (var j = 0; j < w; j++)
            {
                values[i * w + j] = 0.5;
                values[h * w + i * w + j] = j / 2;
                values[2 * h * w + i * w + j] = j % 2 + i / 2;
            }
        }

        var x = Array.ConvertAll(values, v => T.CreateChecked(v));
        var codes = AssertPooling(x, 3, h, w, "ties");
        Assert.That(codes.Take(2 * 18), Is.All.EqualTo(0));
        Assert.That(codes.Skip(2 * 18).Take(2 * 18), Is.All.EqualTo(0));
        Assert.That(codes.Skip(4 * 18), Is.All.EqualTo(1));
    }

    [Test]
    public void FusedConvolutionAndPool_MatchReference([Values] bool relu)
    {
        foreach (var g in FusedCases)
        {
            var random = new Random(g.K);
            T[] Draw(int length) => [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble() * 2 - 1))];
            var (x, w, bias) = (Draw(g.InputLength), Draw(g.WeightLength), Draw(g.K));
            var windows = g.N * g.K * (g.P / 2) * (g.Q / 2);
            var dpooled = Draw(windows);
            static double[] Wide(T[] a) => Array.ConvertAll(a, v => double.CreateChecked(v));

            var y = DirectConvReference.Run(g, Wide(x), Wide(w), Wide(bias), new double[g.OutputLength]).Y;
            var (pooledWant, codeWant) = (new double[windows], new int[windows]);
            ReferencePooling.Forward(y, pooledWant, codeWant, g.N * g.K, g.P, g.Q);
            for (var i = 0; relu && i < windows; i++)
            {
                // the ReLU after the pool: a window whose maximum is not positive is 0 and has no winner (code 4)
                (pooledWant[i], codeWant[i]) = pooledWant[i] > 0 ? (pooledWant[i], codeWant[i]) : (0, 4);
            }

            var dy = new double[g.OutputLength];
            ReferencePooling.Unpool(Wide(dpooled), codeWant, dy, g.N * g.K, g.P, g.Q);
            var (_, dxWant, dwWant, dbWant) = DirectConvReference.Run(g, Wide(x), Wide(w), Wide(bias), dy);

            var (xv, wv) = (Bench.View(x, 3), Bench.View(w, 1));
            var (pooled, code, dw, db) = (Bench.Output(windows, 2), Bench.Output(windows, 1), Bench.Output(g.WeightLength, 3), Bench.Output(g.K, 2));
            Backend.Conv2dMaxPoolForward(g, xv, wv, Bench.View(bias, 2), pooled, code, relu);
            Backend.Conv2dMaxPoolBackwardWeight(g, xv, Bench.View(dpooled, 1), code, dw, db);
            var dx = Bench.Output(g.InputLength, 2);
            Backend.Conv2dMaxPoolBackwardData(g, Bench.View(dpooled, 1), code, wv, dx);
            Assert.That(Wide(Bench.ReadGuarded(code, "code")).Select(v => (int)v), Is.EqualTo(codeWant), $"winners {g}");
            if (relu)
            {
                Assert.That(codeWant, Has.Some.EqualTo(4).And.Some.LessThan(4), $"the ReLU cuts some windows and keeps others {g}");
            }

            // NOTE: float32 sums of up to 75 taps (forward) and of every image's pixels (weight gradient) against float64
            var (forward, weight) = typeof(T) == typeof(float) ? (1e-5, 1e-5) : (1e-13, 1e-13);
            Assert.That(Wide(Bench.ReadGuarded(pooled, "pooled")), Is.EqualTo(pooledWant).Within(forward * pooledWant.Max(Math.Abs)), $"pooled {g}");
            Assert.That(Wide(Bench.ReadGuarded(dw, "dw")), Is.EqualTo(dwWant).Within(weight * dwWant.Max(Math.Abs)), $"weight gradient {g}");
            Assert.That(Wide(Bench.ReadGuarded(db, "db")), Is.EqualTo(dbWant).Within(weight * dbWant.Max(Math.Abs)), $"bias gradient {g}");
            Assert.That(Wide(Bench.ReadGuarded(dx, "dx")), Is.EqualTo(dxWant).Within(forward * dxWant.Max(Math.Abs)), $"data gradient {g}");
        }
    }

    [Test]
    public void FusedCases_CoverEveryRoute()
    {
        Assume.That(typeof(T) == typeof(float) && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, "the per-image routes are float32 with AVX-512");
        Assert.That(FusedCases.Select(WideConv.AppliesToForward), Is.EqualTo(new[] { true, true, true, false, false, false, false, false }));
        Assert.That(FusedCases.Select(WideConv.AppliesToWeight), Is.EqualTo(new[] { true, true, true, false, false, false, false, false }));
        Assert.That(FusedCases.Select(PooledWeightGradient.Applies), Is.EqualTo(new[] { true, false, true, false, false, false, false, false }));
        Assert.That(FusedCases.Select(DirectConv.AppliesToForward), Is.EqualTo(new[] { false, false, false, true, true, true, false, false }));
        Assert.That(FusedCases.Select(WinnerWeightGradient.Applies), Is.EqualTo(new[] { false, false, false, true, false, false, false, true }));
        Assert.That(FusedCases.Select(WinnerDataGradient.Applies), Is.EqualTo(new[] { false, false, false, true, false, false, false, true }));
        Assert.That(FusedCases.Select(DirectConv.AppliesToWeight), Is.EqualTo(new[] { false, false, false, true, true, true, false, false }));
    }

    /// <summary>
    /// The fused kernels' float32 results (pooled values, winners, dw, db — the bias summed per chunk of images inside the
    /// weight-gradient routes — and dx) are bit for bit the same on 1 and 2 threads: every case above, and the hypernetwork's two
    /// layers at their real batch of 32 images (several chunks per thread).
    /// </summary>
    [Test]
    public void Float32_IdenticalOnOneAndTwoThreads([Values] bool relu)
    {
        Assume.That(typeof(T) == typeof(float), "the chunked routes are float32");
        using var one = new Engine.Kernels.Cpu.WorkerPool(1);
        using var two = new Engine.Kernels.Cpu.WorkerPool(2);
        var hypernet = new[]
        {
            ConvGeometry.ForConv(n: 32, c: 1, h: 28, w: 28, k: 32, r: 5, s: 5, stride: 1, pad: 2),
            ConvGeometry.ForConv(n: 32, c: 32, h: 14, w: 14, k: 16, r: 5, s: 5, stride: 1, pad: 2),
        };
        foreach (var g in FusedCases.Concat(hypernet))
        {
            var random = new Random(g.C + 7 * g.K);
            float[] Draw(int length) => [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1))];
            var (x, w, bias) = (Draw(g.InputLength), Draw(g.WeightLength), Draw(g.K));
            var windows = g.N * g.K * (g.P / 2) * (g.Q / 2);
            var dpooled = Draw(windows);
            var results = new[] { one, two }.Select(workers =>
            {
                var (pooled, code, dw, db, dx) = (new float[windows], new float[windows], new float[g.WeightLength], new float[g.K], new float[g.InputLength]);
                PooledConv.Forward(g, x, 0, w, 0, bias, 0, pooled, 0, code, 0, relu, workers);
                PooledConv.BackwardWeight(g, x, 0, dpooled, 0, code, 0, dw, 0, db, 0, workers);
                PooledConv.BackwardData(g, dpooled, 0, code, 0, w, 0, dx, 0, workers);
                return (pooled, code, dw, db, dx);
            }).ToArray();
            Assert.That(results[1].pooled, Is.EqualTo(results[0].pooled), $"pooled {g}");
            Assert.That(results[1].code, Is.EqualTo(results[0].code), $"winners {g}");
            Assert.That(results[1].dw, Is.EqualTo(results[0].dw), $"weight gradient {g}");
            Assert.That(results[1].db, Is.EqualTo(results[0].db), $"bias gradient {g}");
            Assert.That(results[1].dx, Is.EqualTo(results[0].dx), $"data gradient {g}");
            Assert.That(results[0].db, Has.Some.Not.EqualTo(0f), $"a bias gradient to compare {g}");
        }
    }

    [Test]
    public void OddOutput_IsRejected()
    {
        var g = ConvGeometry.ForConv(n: 1, c: 1, h: 5, w: 6, k: 16, r: 3, s: 3, stride: 1, pad: 1);
        var error = Assert.Throws<ArgumentException>(() => Backend.Conv2dMaxPoolForward(g, Bench.Output(g.InputLength, 0), Bench.Output(g.WeightLength, 0), null, Bench.Output(15, 0), Bench.Output(15, 0), relu: false));
        Assert.That(error!.Message, Does.Contain("even"));
    }

    private int[] AssertPooling(T[] x, int planes, int h, int w, string what)
    {
        var windows = planes * (h / 2) * (w / 2);
        var (pooledWant, codeWant) = (new double[windows], new int[windows]);
        ReferencePooling.Forward(Array.ConvertAll(x, v => double.CreateChecked(v)), pooledWant, codeWant, planes, h, w);
        var dpooled = KernelBench<T>.Random(windows, windows);
        var dyWant = new double[planes * h * w];
        ReferencePooling.Unpool(Array.ConvertAll(dpooled, v => double.CreateChecked(v)), codeWant, dyWant, planes, h, w);

        var (pooled, code, dy) = (Bench.Output(windows, 1), Bench.Output(windows, 3), Bench.Output(planes * h * w, 2));
        Backend.MaxUnpool2x2(Bench.View(dpooled, 2), Bench.View(Array.ConvertAll(codeWant, c => T.CreateChecked(c)), 1), dy, planes, h, w);
        KernelBench<T>.AssertClose(dyWant, Bench.ReadGuarded(dy, "dy"), $"unpool {what}", 0);
        PoolArgmaxKernelsForward(Bench.View(x, 2), pooled, code, planes, h, w);
        KernelBench<T>.AssertClose(pooledWant, Bench.ReadGuarded(pooled, "pooled"), $"pool {what}", 0);
        var codes = Bench.ReadGuarded(code, "code").Select(v => int.CreateChecked(v)).ToArray();
        Assert.That(codes, Is.EqualTo(codeWant), $"winners {what}");
        return codes;
    }

    /// <summary>The pool with winners as a 1×1 convolution by 1 would run it: the fused kernel's generic route on an identity layer.</summary>
    private void PoolArgmaxKernelsForward(BufferView x, BufferView pooled, BufferView code, int planes, int h, int w)
    {
        var g = new ConvGeometry(N: planes, C: 1, H: h, W: w, K: 1, R: 1, S: 1, StrideH: 1, StrideW: 1, PadH: 0, PadW: 0, P: h, Q: w);
        Backend.Conv2dMaxPoolForward(g, x, Bench.View([T.One], 0), null, pooled, code, relu: false);
    }
}
