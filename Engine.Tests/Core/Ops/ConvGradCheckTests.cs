using Engine.Core;
using Engine.Kernels;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

public class ConvGradCheckTests
{
    // ---- gradient checks (float64, default tolerances) ----

    [TestCase(1, 0, 5, 5)]
    [TestCase(1, 1, 5, 5)]
    [TestCase(2, 0, 7, 6)]
    [TestCase(2, 1, 7, 5)]
    public void GradCheck_Conv2d(int stride, int padding, int h, int w) =>
        GradCheck.Check(
            t => Engine.Core.Ops.Conv2d(t[0], t[1], t[2], stride, padding),
            Seeds.Randn(100, [2, 3, h, w]), Seeds.Randn(101, [4, 3, 3, 3]), Seeds.Randn(102, [4]));

    [Test]
    public void GradCheck_Conv2d_NoBias_NonSquareKernel() =>
        GradCheck.Check(
            t => Engine.Core.Ops.Conv2d(t[0], t[1], null, 2, 1),
            Seeds.Randn(103, [2, 3, 7, 5]), Seeds.Randn(104, [4, 3, 3, 2]));

    [Test]
    public void GradCheck_Conv2d_BiasWithoutWeightGradient() =>
        GradCheck.Check(
            t => Engine.Core.Ops.Conv2d(t[0], t[1], t[2], 1, 1),
            Seeds.Randn(105, [2, 3, 5, 5]), Seeds.Randn(106, [4, 3, 3, 3], requiresGrad: false), Seeds.Randn(107, [4]));

    [TestCase(1, 1, true, false)]
    [TestCase(1, 0, false, false)]
    [TestCase(2, 1, true, false)]
    [TestCase(1, 1, true, true)]
    [TestCase(2, 1, true, true)]
    public void GradCheck_Conv2dMaxPool2x2(int stride, int padding, bool bias, bool relu) =>
        // random inputs: no window holds two values within the finite-difference step, and no window maximum lies within it
        // of 0, so neither a winner nor the ReLU's cut changes under it
        GradCheck.Check(
            t => Engine.Core.Ops.Conv2dMaxPool2x2(t[0], t[1], bias ? t[2] : null, stride, padding, relu),
            Seeds.Randn(108, [2, 2, 8, 8]), Seeds.Randn(109, [3, 2, 3, 3]), Seeds.Randn(110, [3]));

    [TestCase(false)]
    [TestCase(true)]
    public void Conv2dMaxPool2x2_EqualsPoolOfConv_ValuesAndGradients(bool relu)
    {
        var x = Seeds.Randn(111, [2, 3, 8, 8]);
        var w = Seeds.Randn(112, [4, 3, 3, 3]);
        var b = Seeds.Randn(113, [4]);
        var seed = Seeds.Randn(114, [2, 4, 4, 4], requiresGrad: false);
        (double[] Y, double[] Dx, double[] Dw, double[] Db) Run(Func<Tensor> f)
        {
            foreach (var t in new[] { x, w, b })
            {
                t.ZeroGrad();
            }

            using var tape = new Tape();
            var y = f();
            tape.Backward(y, seed);
            return (y.ToDoubleArray(), x.Grad!.ToDoubleArray(), w.Grad!.ToDoubleArray(), b.Grad!.ToDoubleArray());
        }

        var fused = Run(() => Engine.Core.Ops.Conv2dMaxPool2x2(x, w, b, 1, 1, relu));
        var separate = Run(() =>
        {
            var pooled = Engine.Core.Ops.MaxPool2x2(Engine.Core.Ops.Conv2d(x, w, b, 1, 1));
            return relu ? Engine.Core.Ops.Relu(pooled) : pooled;
        });
        if (relu)
        {
            Assert.That(fused.Y, Has.Some.EqualTo(0.0).And.Some.GreaterThan(0.0), "the ReLU cuts some windows and keeps others");
        }

        Assert.That(fused.Y, Is.EqualTo(separate.Y).Within(1e-12));
        Assert.That(fused.Dx, Is.EqualTo(separate.Dx).Within(1e-12));
        Assert.That(fused.Dw, Is.EqualTo(separate.Dw).Within(1e-12));
        Assert.That(fused.Db, Is.EqualTo(separate.Db).Within(1e-12));
    }

    [Test]
    public void Conv2dMaxPool2x2_OddOutput_IsRejected() =>
        Assert.That(() => Engine.Core.Ops.Conv2dMaxPool2x2(Seeds.Randn(115, [1, 1, 5, 5]), Seeds.Randn(116, [2, 1, 3, 3]), null, 1, 1),
            Throws.ArgumentException.With.Message.Contains("even sizes"));

    [TestCase(1, 0, 0)]
    [TestCase(1, 1, 0)]
    [TestCase(2, 0, 1)]
    [TestCase(2, 1, 1)]
    [TestCase(2, 1, 0)]
    public void GradCheck_ConvTranspose2d(int stride, int padding, int outputPadding) =>
        GradCheck.Check(
            t => Engine.Core.Ops.ConvTranspose2d(t[0], t[1], t[2], stride, padding, outputPadding),
            Seeds.Randn(110, [2, 3, 5, 4]), Seeds.Randn(111, [3, 4, 3, 3]), Seeds.Randn(112, [4]));

    [Test]
    public void GradCheck_ConvTranspose2d_NoBias_NonSquareKernel() =>
        GradCheck.Check(
            t => Engine.Core.Ops.ConvTranspose2d(t[0], t[1], null, 2, 1, 1),
            Seeds.Randn(113, [2, 3, 3, 5]), Seeds.Randn(114, [3, 2, 4, 3]));

    /// <summary>The ReLU applied inside the kernels: its VJP masks dy by the output (the kinks sit where no draw lands).</summary>
    [TestCase(1, 1)]
    [TestCase(2, 1)]
    public void GradCheck_Conv2d_Relu(int stride, int padding) =>
        GradCheck.Check(
            t => Engine.Core.Ops.Conv2d(t[0], t[1], t[2], stride, padding, relu: true),
            Seeds.Randn(130, [2, 3, 6, 5]), Seeds.Randn(131, [4, 3, 3, 3]), Seeds.Randn(132, [4]));

    [TestCase(1, 0, 0)]
    [TestCase(2, 1, 1)]
    public void GradCheck_ConvTranspose2d_Relu(int stride, int padding, int outputPadding) =>
        GradCheck.Check(
            t => Engine.Core.Ops.ConvTranspose2d(t[0], t[1], t[2], stride, padding, outputPadding, relu: true),
            Seeds.Randn(133, [2, 3, 5, 4]), Seeds.Randn(134, [3, 4, 3, 3]), Seeds.Randn(135, [4]));

    /// <summary>relu: true is the same as Relu after the convolution, value for value, and so are the gradients (float32, the CPU routes).</summary>
    [TestCase(false, 32, 14, 64)] // direct forward; the transposed one runs the phase data gradient
    [TestCase(false, 1, 28, 32)]  // few-tap forward
    [TestCase(true, 32, 14, 64)]
    [TestCase(true, 64, 7, 32)]
    public void Relu_IsReluAfterTheConvolution(bool transpose, int channels, int size, int outChannels)
    {
        static Tensor Float32(Tensor t) => Seeds.Leaf([.. t.ToDoubleArray().Select(v => (float)v)], t.Shape.ToArray());
        var x = Float32(Seeds.Randn(140, [3, channels, size, size]));
        var w = Float32(Seeds.Randn(141, transpose ? [channels, outChannels, 3, 3] : [outChannels, channels, 3, 3], scale: 0.2));
        var b = Float32(Seeds.Randn(142, [outChannels]));
        Tensor Conv(bool relu) => transpose
            ? Engine.Core.Ops.ConvTranspose2d(x, w, b, 2, 1, 1, relu)
            : Engine.Core.Ops.Conv2d(x, w, b, 2, 1, relu);

        var fused = Conv(relu: true);
        var separate = Engine.Core.Ops.Relu(Conv(relu: false));
        Assert.That(fused.ToDoubleArray(), Is.EqualTo(separate.ToDoubleArray()), "forward");
        Assert.That(fused.ToDoubleArray(), Has.Some.EqualTo(0.0).And.Some.GreaterThan(0.0), "the ReLU cut some values and kept others");

        var upstream = Float32(Seeds.Randn(143, fused.Shape.ToArray(), requiresGrad: false));
        double[][] Gradients(Func<Tensor> f)
        {
            foreach (var t in new[] { x, w, b })
            {
                t.ZeroGrad();
            }

            using var tape = new Tape();
            tape.Backward(f(), upstream);
            return [x.Grad!.ToDoubleArray(), w.Grad!.ToDoubleArray(), b.Grad!.ToDoubleArray()];
        }

        var (viaFused, viaSeparate) = (Gradients(() => Conv(relu: true)), Gradients(() => Engine.Core.Ops.Relu(Conv(relu: false))));
        for (var i = 0; i < 3; i++)
        {
            Assert.That(viaFused[i], Is.EqualTo(viaSeparate[i]), $"gradient of input {i}");
        }
    }

    [Test]
    public void GradCheck_MaxPool2x2() => GradCheck.Check(t => Engine.Core.Ops.MaxPool2x2(t[0]), Seeds.Randn(120, [2, 3, 4, 6]));

    [Test]
    public void GradCheck_MaxPool2x2_AfterConv2d() =>
        GradCheck.Check(
            t => Engine.Core.Ops.MaxPool2x2(Engine.Core.Ops.Conv2d(t[0], t[1], t[2], 1, 1)),
            Seeds.Randn(121, [2, 3, 6, 4]), Seeds.Randn(122, [4, 3, 3, 3]), Seeds.Randn(123, [4]));

    [TestCase(new[] { 5, 3 })]
    [TestCase(new[] { 2, 3, 3, 5 })]
    public void GradCheck_BatchNorm_Train(int[] shape)
    {
        var channels = shape[1];
        var runningMean = Seeds.Randn(130, [channels], requiresGrad: false);
        var runningVar = Seeds.Uniform(131, [channels], 0.5, 2, requiresGrad: false);
        GradCheck.Check(
            t => Engine.Core.Ops.BatchNorm(t[0], t[1], t[2], runningMean, runningVar, training: true),
            Seeds.Randn(132, shape, 2, 1), Seeds.Randn(133, [channels], 1, 1), Seeds.Randn(134, [channels]));
    }

    [TestCase(new[] { 5, 3 })]
    [TestCase(new[] { 2, 3, 3, 5 })]
    public void GradCheck_BatchNorm_Eval(int[] shape)
    {
        var channels = shape[1];
        var runningMean = Seeds.Randn(140, [channels], requiresGrad: false);
        var runningVar = Seeds.Uniform(141, [channels], 0.5, 2, requiresGrad: false);
        GradCheck.Check(
            t => Engine.Core.Ops.BatchNorm(t[0], t[1], t[2], runningMean, runningVar, training: false),
            Seeds.Randn(142, shape, 2, 1), Seeds.Randn(143, [channels], 1, 1), Seeds.Randn(144, [channels]));
    }

    // ---- forward parity against direct loops ----

    private static readonly (int N, int C, int H, int W, int K, int R, int S, int Stride, int Pad)[] ConvShapes =
    [
        (1, 1, 1, 1, 1, 1, 1, 1, 0),
        (2, 3, 7, 5, 4, 3, 3, 1, 0),
        (2, 3, 7, 5, 4, 3, 2, 1, 1),
        (3, 2, 9, 8, 5, 3, 3, 2, 1),
        (2, 3, 6, 7, 4, 4, 4, 2, 1),
        (1, 2, 5, 5, 3, 5, 5, 3, 2),
        (2, 1, 28, 28, 32, 3, 3, 2, 1),
        (2, 1, 28, 28, 32, 4, 4, 2, 1),
        (2, 32, 14, 14, 64, 4, 4, 2, 1),
    ];

    private static readonly (int N, int Cin, int H, int W, int Cout, int R, int S, int Stride, int Pad, int OutPad)[] TransposeShapes =
    [
        (1, 1, 1, 1, 1, 1, 1, 1, 0, 0),
        (2, 3, 5, 4, 4, 3, 3, 1, 0, 0),
        (2, 3, 5, 4, 4, 3, 2, 1, 1, 0),
        (2, 3, 5, 4, 4, 3, 3, 2, 1, 1),
        (3, 2, 3, 6, 5, 4, 4, 2, 1, 0),
        (1, 2, 4, 3, 3, 5, 5, 3, 2, 2),
        (3, 64, 7, 7, 32, 3, 3, 2, 1, 1),
        (2, 64, 7, 7, 32, 4, 4, 2, 1, 0),
    ];

    [Test]
    public void Conv2d_MatchesReference_Float64()
    {
        foreach (var (n, c, h, w, k, r, s, stride, pad) in ConvShapes)
        {
            var x = Values(200, n * c * h * w);
            var wt = Values(201, k * c * r * s);
            var b = Values(202, k);
            var expected = ReferenceConv2d(x, wt, b, n, c, h, w, k, r, s, stride, pad);
            var y = Engine.Core.Ops.Conv2d(
                Tensor.FromSpan<double>(x, new[] { n, c, h, w }), Tensor.FromSpan<double>(wt, new[] { k, c, r, s }), Tensor.FromSpan<double>(b, new[] { k }), stride, pad);
            Assert.That(y.Shape, Is.EqualTo(new Shape(n, k, (h + 2 * pad - r) / stride + 1, (w + 2 * pad - s) / stride + 1)));
            AssertClose(y.ToDoubleArray(), expected, 1e-10, absolute: true, $"conv2d {(n, c, h, w, k, r, s, stride, pad)}");
        }
    }

    [Test]
    public void Conv2d_MatchesReference_Float32()
    {
        foreach (var (n, c, h, w, k, r, s, stride, pad) in ConvShapes)
        {
            var x = Rounded(Values(203, n * c * h * w));
            var wt = Rounded(Values(204, k * c * r * s));
            var b = Rounded(Values(205, k));
            var expected = ReferenceConv2d(x, wt, b, n, c, h, w, k, r, s, stride, pad);
            var y = Engine.Core.Ops.Conv2d(
                Tensor.FromArray(ToFloat(x), n, c, h, w), Tensor.FromArray(ToFloat(wt), k, c, r, s), Tensor.FromArray(ToFloat(b), k), stride, pad);
            Assert.That(y.DType, Is.EqualTo(DType.Float32));
            AssertClose(y.ToDoubleArray(), expected, 1e-4, absolute: false, $"conv2d f32 {(n, c, h, w, k, r, s, stride, pad)}");
        }
    }

    [Test]
    public void ConvTranspose2d_MatchesReference_Float64()
    {
        foreach (var (n, cin, h, w, cout, r, s, stride, pad, op) in TransposeShapes)
        {
            var x = Values(210, n * cin * h * w);
            var wt = Values(211, cin * cout * r * s);
            var b = Values(212, cout);
            var (expected, oh, ow) = ReferenceConvTranspose2d(x, wt, b, n, cin, h, w, cout, r, s, stride, pad, op);
            var y = Engine.Core.Ops.ConvTranspose2d(
                Tensor.FromSpan<double>(x, new[] { n, cin, h, w }), Tensor.FromSpan<double>(wt, new[] { cin, cout, r, s }), Tensor.FromSpan<double>(b, new[] { cout }), stride, pad, op);
            Assert.That(y.Shape, Is.EqualTo(new Shape(n, cout, oh, ow)));
            AssertClose(y.ToDoubleArray(), expected, 1e-10, absolute: true, $"conv_transpose2d {(n, cin, h, w, cout, r, s, stride, pad, op)}");
        }
    }

    [Test]
    public void ConvTranspose2d_MatchesReference_Float32()
    {
        foreach (var (n, cin, h, w, cout, r, s, stride, pad, op) in TransposeShapes)
        {
            var x = Rounded(Values(213, n * cin * h * w));
            var wt = Rounded(Values(214, cin * cout * r * s));
            var b = Rounded(Values(215, cout));
            var (expected, _, _) = ReferenceConvTranspose2d(x, wt, b, n, cin, h, w, cout, r, s, stride, pad, op);
            var y = Engine.Core.Ops.ConvTranspose2d(
                Tensor.FromArray(ToFloat(x), n, cin, h, w), Tensor.FromArray(ToFloat(wt), cin, cout, r, s), Tensor.FromArray(ToFloat(b), cout), stride, pad, op);
            Assert.That(y.DType, Is.EqualTo(DType.Float32));
            AssertClose(y.ToDoubleArray(), expected, 1e-4, absolute: false, $"conv_transpose2d f32 {(n, cin, h, w, cout, r, s, stride, pad, op)}");
        }
    }

    [Test]
    public void ConvTranspose2d_IsAdjointOfConv2d()
    {
        // ⟨conv(u, w), v⟩ = ⟨u, convT(v, w)⟩ when the transposed output has u's shape.
        int n = 2, c = 3, h = 9, width = 7, k = 4, r = 3, stride = 2, pad = 1;
        var u = Seeds.Randn(220, [n, c, h, width], requiresGrad: false);
        var w = Seeds.Randn(221, [k, c, r, r], requiresGrad: false);
        var conv = Engine.Core.Ops.Conv2d(u, w, null, stride, pad);
        var v = Seeds.Randn(222, conv.Shape.ToArray(), requiresGrad: false);
        var outPad = (h + 2 * pad - r) % stride;
        var back = Engine.Core.Ops.ConvTranspose2d(v, w, null, stride, pad, outPad);
        Assert.That(back.Shape, Is.EqualTo(u.Shape));
        var lhs = conv.ToDoubleArray().Zip(v.ToDoubleArray(), (a, b) => a * b).Sum();
        var rhs = u.ToDoubleArray().Zip(back.ToDoubleArray(), (a, b) => a * b).Sum();
        Assert.That(lhs, Is.EqualTo(rhs).Within(1e-10));
    }

    [Test]
    public void Conv2d_Float32Gradients_MatchFloat64()
    {
        // The float32 backward kernels against the (gradient-checked) float64 ones.
        int[] xs = [2, 3, 9, 7], ws = [5, 3, 3, 3];
        foreach (var transpose in new[] { false, true })
        {
            var x64 = Seeds.Randn(230, transpose ? [2, 5, 5, 4] : xs);
            var w64 = Seeds.Randn(231, ws);
            var b64 = Seeds.Randn(232, transpose ? [3] : [5]);
            var x32 = Seeds.Leaf(ToFloat(x64.ToDoubleArray()), x64.Shape.ToArray());
            var w32 = Seeds.Leaf(ToFloat(w64.ToDoubleArray()), ws);
            var b32 = Seeds.Leaf(ToFloat(b64.ToDoubleArray()), b64.Shape.ToArray());
            foreach (var (x, w, b) in new[] { (x64, w64, b64), (x32, w32, b32) })
            {
                using var tape = new Tape();
                var y = transpose ? Engine.Core.Ops.ConvTranspose2d(x, w, b, 2, 1, 1) : Engine.Core.Ops.Conv2d(x, w, b, 2, 1);
                tape.Backward(Engine.Core.Ops.Sum(Engine.Core.Ops.Square(y)));
            }

            AssertClose(x32.Grad!.ToDoubleArray(), x64.Grad!.ToDoubleArray(), 1e-4, absolute: false, $"dx (transpose {transpose})");
            AssertClose(w32.Grad!.ToDoubleArray(), w64.Grad!.ToDoubleArray(), 1e-4, absolute: false, $"dw (transpose {transpose})");
            AssertClose(b32.Grad!.ToDoubleArray(), b64.Grad!.ToDoubleArray(), 1e-4, absolute: false, $"db (transpose {transpose})");
        }
    }

    [Test]
    public void MaxPool2x2_MatchesReference()
    {
        var x = Values(240, 2 * 3 * 6 * 4);
        var y = Engine.Core.Ops.MaxPool2x2(Tensor.FromSpan<double>(x, new[] { 2, 3, 6, 4 }));
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 3, 3, 2)));
        var values = y.ToDoubleArray();
        for (var plane = 0; plane < 6; plane++)
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 2; j++)
                {
                    var at = plane * 24 + 2 * i * 4 + 2 * j;
                    var expected = Math.Max(Math.Max(x[at], x[at + 1]), Math.Max(x[at + 4], x[at + 5]));
                    Assert.That(values[(plane * 3 + i) * 2 + j], Is.EqualTo(expected));
                }
            }
        }
    }

    // ---- batch norm running statistics ----

    [Test]
    public void BatchNorm_Training_UpdatesRunningStatsLikePyTorch_AndEvalUsesThem()
    {
        // Channel 0 holds 1, 3, 5, 7 and channel 1 holds 2, 4, 6, 8, both as [B, F] and as [N, C, H, W]:
        // batch means 4 and 5, biased variance 5, unbiased variance 20/3.
        var flat = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6, 7, 8 }, 4, 2);
        var image = Tensor.FromArray(new[] { 1.0, 3, 5, 7, 2, 4, 6, 8 }, 1, 2, 2, 2);
        foreach (var (x, channelOf) in new (Tensor, Func<int, int>)[] { (flat, i => i % 2), (image, i => i / 4) })
        {
            var gamma = Tensor.FromArray(new[] { 2.0, 1.0 }, 2);
            var beta = Tensor.FromArray(new[] { 0.0, 1.0 }, 2);
            var runningMean = Tensor.FromArray(new[] { 0.0, 0.0 }, 2);
            var runningVar = Tensor.FromArray(new[] { 1.0, 1.0 }, 2);
            double[] batchMean = [4, 5];
            double[] g = [2, 1], bt = [0, 1];
            var xv = x.ToDoubleArray();

            var y = Engine.Core.Ops.BatchNorm(x, gamma, beta, runningMean, runningVar, training: true, momentum: 0.1, eps: 1e-5).ToDoubleArray();
            for (var i = 0; i < xv.Length; i++)
            {
                var ch = channelOf(i);
                Assert.That(y[i], Is.EqualTo(g[ch] * (xv[i] - batchMean[ch]) / Math.Sqrt(5 + 1e-5) + bt[ch]).Within(1e-12), $"train output {i}");
            }

            Assert.That(runningMean.ToDoubleArray(), Is.EqualTo(new[] { 0.4, 0.5 }).Within(1e-12));
            Assert.That(runningVar.ToDoubleArray(), Is.EqualTo(new[] { 0.9 + 0.1 * 20 / 3.0, 0.9 + 0.1 * 20 / 3.0 }).Within(1e-12));

            // A second step compounds: 0.9·0.4 + 0.1·4 = 0.76, 0.9·0.5 + 0.1·5 = 0.95.
            Engine.Core.Ops.BatchNorm(x, gamma, beta, runningMean, runningVar, training: true, momentum: 0.1, eps: 1e-5);
            var rv = 0.9 * (0.9 + 0.1 * 20 / 3.0) + 0.1 * 20 / 3.0;
            Assert.That(runningMean.ToDoubleArray(), Is.EqualTo(new[] { 0.76, 0.95 }).Within(1e-12));
            Assert.That(runningVar.ToDoubleArray(), Is.EqualTo(new[] { rv, rv }).Within(1e-12));

            // Evaluation normalises with the running statistics and leaves them alone.
            double[] rm = [0.76, 0.95];
            var e = Engine.Core.Ops.BatchNorm(x, gamma, beta, runningMean, runningVar, training: false, momentum: 0.1, eps: 1e-5).ToDoubleArray();
            for (var i = 0; i < xv.Length; i++)
            {
                var ch = channelOf(i);
                Assert.That(e[i], Is.EqualTo(g[ch] * (xv[i] - rm[ch]) / Math.Sqrt(rv + 1e-5) + bt[ch]).Within(1e-12), $"eval output {i}");
            }

            Assert.That(runningMean.ToDoubleArray(), Is.EqualTo(rm).Within(1e-12));
            Assert.That(runningVar.ToDoubleArray(), Is.EqualTo(new[] { rv, rv }).Within(1e-12));
        }
    }

    [Test]
    public void BatchNorm_RunningStatUpdate_IsNotRecorded()
    {
        var x = Seeds.Randn(250, [6, 3]);
        var gamma = Seeds.Randn(251, [3]);
        var beta = Seeds.Randn(252, [3]);
        var runningMean = Seeds.Randn(253, [3], requiresGrad: false);
        var runningVar = Seeds.Uniform(254, [3], 0.5, 2, requiresGrad: false);
        using var tape = new Tape();
        var y = Engine.Core.Ops.BatchNorm(x, gamma, beta, runningMean, runningVar, training: true);
        Assert.That(y.RequiresGrad);
        Assert.That(runningMean.RequiresGrad, Is.False);
        Assert.That(runningVar.RequiresGrad, Is.False);
        Assert.That(runningMean.IsLeaf && runningVar.IsLeaf);
        tape.Backward(Engine.Core.Ops.Sum(y));
        Assert.That(runningMean.Grad, Is.Null);
        Assert.That(runningVar.Grad, Is.Null);
    }

    // ---- errors ----

    [Test]
    public void Conv2d_WrongChannelCount_NamesOpAndShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Conv2d(Seeds.Randn(1, [2, 3, 5, 5]), Seeds.Randn(2, [4, 2, 3, 3])));
        Assert.That(ex!.Message, Does.Contain("conv2d").And.Contain("[2, 3, 5, 5]").And.Contain("[4, 2, 3, 3]"));
    }

    [Test]
    public void Conv2d_BadRankOrOutputSize_Throws()
    {
        var rank = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Conv2d(Seeds.Randn(1, [3, 5, 5]), Seeds.Randn(2, [4, 3, 3, 3])));
        Assert.That(rank!.Message, Does.Contain("conv2d").And.Contain("[3, 5, 5]").And.Contain("[4, 3, 3, 3]"));
        var size = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Conv2d(Seeds.Randn(1, [1, 3, 2, 2]), Seeds.Randn(2, [4, 3, 5, 5]), padding: 1));
        Assert.That(size!.Message, Does.Contain("conv2d").And.Contain("[1, 3, 2, 2]").And.Contain("[4, 3, 5, 5]"));
        var bias = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Conv2d(Seeds.Randn(1, [1, 3, 5, 5]), Seeds.Randn(2, [4, 3, 3, 3]), Seeds.Randn(3, [3])));
        Assert.That(bias!.Message, Does.Contain("conv2d").And.Contain("[3]"));
    }

    [Test]
    public void ConvTranspose2d_BadArguments_Throw()
    {
        var channels = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.ConvTranspose2d(Seeds.Randn(1, [2, 3, 5, 5]), Seeds.Randn(2, [4, 2, 3, 3])));
        Assert.That(channels!.Message, Does.Contain("conv_transpose2d").And.Contain("[2, 3, 5, 5]").And.Contain("[4, 2, 3, 3]"));
        var outPad = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.ConvTranspose2d(Seeds.Randn(1, [2, 3, 5, 5]), Seeds.Randn(2, [3, 2, 3, 3]), stride: 2, outputPadding: 2));
        Assert.That(outPad!.Message, Does.Contain("conv_transpose2d").And.Contain("output padding 2"));
        var size = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.ConvTranspose2d(Seeds.Randn(1, [1, 3, 1, 1]), Seeds.Randn(2, [3, 2, 1, 1]), padding: 1));
        Assert.That(size!.Message, Does.Contain("conv_transpose2d").And.Contain("≤ 0"));
    }

    [Test]
    public void MaxPool2x2_OddSize_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.MaxPool2x2(Seeds.Randn(1, [1, 2, 5, 4])));
        Assert.That(ex!.Message, Does.Contain("max_pool2x2").And.Contain("[1, 2, 5, 4]"));
    }

    [Test]
    public void BatchNorm_BadShapes_Throw()
    {
        var x = Seeds.Randn(1, [4, 3]);
        var ok = Seeds.Randn(2, [3], requiresGrad: false);
        var ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.BatchNorm(x, Seeds.Randn(3, [2]), ok, ok, ok, training: true));
        Assert.That(ex!.Message, Does.Contain("batch_norm").And.Contain("[4, 3]").And.Contain("[2]"));
        var single = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.BatchNorm(Seeds.Randn(4, [1, 3]), ok, ok, ok, ok, training: true));
        Assert.That(single!.Message, Does.Contain("batch_norm"));
    }

    // ---- reference implementations ----

    private static double[] ReferenceConv2d(double[] x, double[] w, double[] b, int n, int c, int h, int width, int k, int r, int s, int stride, int pad)
    {
        int p = (h + 2 * pad - r) / stride + 1, q = (width + 2 * pad - s) / stride + 1;
        var y = new double[n * k * p * q];
        for (var ni = 0; ni < n; ni++)
        {
            for (var ki = 0; ki < k; ki++)
            {
                for (var pi = 0; pi < p; pi++)
                {
                    for (var qi = 0; qi < q; qi++)
                    {
                        var sum = b[ki];
                        for (var ci = 0; ci < c; ci++)
                        {
                            for (var ri = 0; ri < r; ri++)
                            {
                                for (var si = 0; si < s; si++)
                                {
                                    int hi = pi * stride - pad + ri, wi = qi * stride - pad + si;
                                    if (hi >= 0 && hi < h && wi >= 0 && wi < width)
                                    {
                                        sum += x[((ni * c + ci) * h + hi) * width + wi] * w[((ki * c + ci) * r + ri) * s + si];
                                    }
                                }
                            }
                        }

                        y[((ni * k + ki) * p + pi) * q + qi] = sum;
                    }
                }
            }
        }

        return y;
    }

    private static (double[] Y, int OutH, int OutW) ReferenceConvTranspose2d(
        double[] x, double[] w, double[] b, int n, int cin, int h, int width, int cout, int r, int s, int stride, int pad, int outPad)
    {
        int oh = (h - 1) * stride - 2 * pad + r + outPad, ow = (width - 1) * stride - 2 * pad + s + outPad;
        var y = new double[n * cout * oh * ow];
        for (var ni = 0; ni < n; ni++)
        {
            for (var co = 0; co < cout; co++)
            {
                for (var i = 0; i < oh * ow; i++)
                {
                    y[(ni * cout + co) * oh * ow + i] = b[co];
                }
            }

            for (var ci = 0; ci < cin; ci++)
            {
                for (var i = 0; i < h; i++)
                {
                    for (var j = 0; j < width; j++)
                    {
                        var xv = x[((ni * cin + ci) * h + i) * width + j];
                        for (var co = 0; co < cout; co++)
                        {
                            for (var ri = 0; ri < r; ri++)
                            {
                                for (var si = 0; si < s; si++)
                                {
                                    int yi = i * stride - pad + ri, yj = j * stride - pad + si;
                                    if (yi >= 0 && yi < oh && yj >= 0 && yj < ow)
                                    {
                                        y[((ni * cout + co) * oh + yi) * ow + yj] += xv * w[((ci * cout + co) * r + ri) * s + si];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        return (y, oh, ow);
    }

    private static double[] Values(int seed, int count) => Seeds.Randn(seed, [count], requiresGrad: false).ToDoubleArray();

    private static double[] Rounded(double[] values) => Array.ConvertAll(values, v => (double)(float)v);

    private static float[] ToFloat(double[] values) => Array.ConvertAll(values, v => (float)v);

    /// <summary>
    /// Absolute: |a − e| ≤ tol per element. Relative: |a − e| ≤ tol·max|e| (normwise, so elements
    /// that cancel to near zero are judged against the output's scale).
    /// </summary>
    private static void AssertClose(double[] actual, double[] expected, double tol, bool absolute, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        var scale = absolute ? 1.0 : Math.Max(expected.Max(Math.Abs), double.Epsilon);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.That(Math.Abs(actual[i] - expected[i]), Is.LessThanOrEqualTo(tol * scale), $"{what}: element {i}: {actual[i]:G17} vs {expected[i]:G17}");
        }
    }
}
