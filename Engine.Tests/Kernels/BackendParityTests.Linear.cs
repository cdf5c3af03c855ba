using Engine.Kernels;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

public partial class BackendParityTests
{
    private static readonly (int M, int N, int K)[] GemmShapes = [(1, 1, 1), (7, 13, 19), (65, 33, 70), (130, 67, 129), (3, 200, 2)];

    [Test]
    public void Gemm_AllTransposes_OddShapes_AlphaBeta_MatchCpu([Values] bool transA, [Values] bool transB)
    {
        foreach (var (m, n, k) in GemmShapes)
        {
            // stored row strides padded past the stored width, as for a sub-matrix
            var lda = (transA ? m : k) + 2;
            var ldb = (transB ? k : n) + 1;
            var ldc = n + 3;
            var a = _twin.Random((transA ? k : m) * lda, 120, -1, 1);
            var b = _twin.Random((transB ? n : k) * ldb, 121, -1, 1);
            var c = _twin.Random(m * ldc, 122, -1, 1);
            var overwritten = _twin.Output(m * ldc, double.NaN); // β = 0 must ignore C, NaN included
            _twin.Run((backend, on) =>
            {
                backend.Gemm(transA, transB, m, n, k, 0.7, on(a), lda, 0, on(b), ldb, 0, 0.3, on(c), ldc, 0);
                backend.Gemm(transA, transB, m, n, k, 1.0, on(a), lda, 0, on(b), ldb, 0, 0.0, on(overwritten), ldc, 0);
            });
            var what = $"Gemm {(transA ? "T" : "N")}{(transB ? "T" : "N")} m={m} n={n} k={k}";
            _twin.AssertClose(c, Accumulated, what + " α=0.7 β=0.3");
            // the padding between rows is never written: compare only the n columns of each row
            var cpu = BackendTwin.Read(Cpu, overwritten.Reference);
            var cl = BackendTwin.Read(overwritten.Other.Buffer.Backend, overwritten.Other);
            BackendTwin.AssertClose(Rows(cpu, m, n, ldc), Rows(cl, m, n, ldc), Accumulated, what + " β=0 over NaN");
        }
    }

    [Test]
    public void Gemm_Batched_WithBroadcastOperand_MatchesCpu([Values] bool transA, [Values] bool transB)
    {
        int m = 9, n = 70, k = 33, batch = 3;
        var a = _twin.Random(m * k, 130);                    // one A for every batch entry (stride 0)
        var b = _twin.Random(batch * k * n + 5, 131);        // entries 5 apart beyond their size
        var c = _twin.Output(batch * m * n);
        _twin.Run((backend, on) => backend.Gemm(transA, transB, m, n, k, 1.0,
            on(a), transA ? m : k, 0, on(b), transB ? k : n, k * n + 1, 0.0, on(c), n, m * n, batch));
        _twin.AssertClose(c, Accumulated, $"batched Gemm {(transA ? "T" : "N")}{(transB ? "T" : "N")}");
    }

    [Test]
    public void Gemm_AlphaZero_DoesNotReadOperands()
    {
        var a = _twin.Output(12, double.NaN);
        var c = _twin.Random(9, 132);
        _twin.Run((backend, on) => backend.Gemm(false, false, 3, 3, 4, 0.0, on(a), 4, 0, on(a), 3, 0, 0.5, on(c), 3, 0));
        _twin.AssertClose(c, 0, "Gemm α=0 (β·C only)");
    }

    [Test]
    public void BiasActivation_EveryActivation_MatchesCpu([Values(UnaryOp.Identity, UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Sigmoid, UnaryOp.Tanh)] UnaryOp activation)
    {
        var y = _twin.Random(13 * 17, 140, -3, 3);
        var bias = _twin.Random(17, 141);
        _twin.Run((backend, on) => backend.BiasActivation(on(y), on(bias), 13, 17, activation, 0.1));
        _twin.AssertClose(y, Elementwise, $"BiasActivation {activation}");
    }

    [Test]
    public void GemmBiasActivation_MatchesCpu([Values(UnaryOp.Identity, UnaryOp.Relu, UnaryOp.Sigmoid)] UnaryOp activation)
    {
        // 70×45×300: full and edge CPU tiles, two k blocks
        int m = 70, n = 45, k = 300;
        var a = _twin.Random(m * k, 142);
        var b = _twin.Random(n * k, 143);
        var bias = _twin.Random(n, 144);
        var c = _twin.Output(m * n);
        _twin.Run((backend, on) => backend.GemmBiasActivation(false, true, m, n, k, on(a), k, on(b), k, on(c), n, on(bias), activation, 0.1));
        _twin.AssertClose(c, Accumulated, $"GemmBiasActivation {activation}");
    }

    [Test]
    public void DenseGradients_MatchCpu([Values(0.0, 1.0)] double beta)
    {
        // 70 rows of a 45 → 30 layer: edge CPU tiles; β = 1 adds to what the gradients held (a reduction and an add here)
        int rows = 70, outputs = 30, inputs = 45;
        var dy = _twin.Random(rows * outputs, 146);
        var x = _twin.Random(rows * inputs, 147);
        var dw = _twin.Random(outputs * inputs, 148);
        var db = _twin.Random(outputs, 149);
        _twin.Run((backend, on) => backend.DenseGradients(rows, outputs, inputs, on(dy), on(x), beta, on(dw), beta, on(db)));
        _twin.AssertClose(dw, Accumulated, $"DenseGradients dw, beta {beta}");
        _twin.AssertClose(db, Accumulated, $"DenseGradients db, beta {beta}");
    }

    private static IEnumerable<ConvGeometry> ConvCases() =>
    [
        ConvGeometry.ForConv(n: 2, c: 3, h: 7, w: 9, k: 4, r: 3, s: 3, stride: 2, pad: 1),
        ConvGeometry.ForConv(n: 3, c: 2, h: 5, w: 6, k: 5, r: 3, s: 2, stride: 1, pad: 0),
        ConvGeometry.ForConv(n: 1, c: 1, h: 8, w: 8, k: 2, r: 4, s: 4, stride: 2, pad: 1),
        ConvGeometry.ForConv(n: 2, c: 4, h: 11, w: 5, k: 3, r: 1, s: 1, stride: 1, pad: 0),
    ];

    [Test]
    public void Conv2d_ForwardAndBackward_MatchCpu([Values] bool withBias, [Values] bool relu)
    {
        var index = 0;
        foreach (var g in ConvCases())
        {
            var what = $"conv N{g.N} C{g.C} {g.H}x{g.W} K{g.K} {g.R}x{g.S} stride {g.StrideH} pad {g.PadH}";
            var x = _twin.Random(g.InputLength, 150 + index);
            var w = _twin.Random(g.WeightLength, 160 + index);
            var bias = _twin.Random(g.K, 170 + index);
            var dataBias = _twin.Random(g.C, 175 + index); // a transposed convolution's bias, on dx's channels
            var dy = _twin.Random(g.OutputLength, 180 + index);
            var y = _twin.Output(g.OutputLength);
            var dx = _twin.Output(g.InputLength);
            var dw = _twin.Output(g.WeightLength);
            var db = _twin.Output(g.K);
            _twin.Run((backend, on) =>
            {
                backend.Conv2dForward(g, on(x), on(w), withBias ? on(bias) : null, on(y), relu);
                backend.Conv2dBackwardData(g, on(dy), on(w), withBias ? on(dataBias) : null, on(dx), relu);
                backend.Conv2dBackwardWeight(g, on(x), on(dy), on(dw), withBias ? on(db) : null);
            });
            _twin.AssertClose(y, Accumulated, what + " forward");
            _twin.AssertClose(dx, Accumulated, what + " backward data");
            _twin.AssertClose(dw, Accumulated, what + " backward weight");
            if (withBias)
            {
                _twin.AssertClose(db, Accumulated, what + " backward bias");
            }

            index++;
        }
    }

    [Test]
    public void MaxPool2x2_ForwardAndBackward_WithTies_MatchCpu()
    {
        int planes = 3, h = 6, w = 8;
        var random = new System.Random(190);
        var x = _twin.Data(Enumerable.Range(0, planes * h * w).Select(_ => (double)random.Next(4)).ToArray()); // many ties
        var y = _twin.Output(planes * h * w / 4);
        var dy = _twin.Random(planes * h * w / 4, 191);
        var dx = _twin.Output(planes * h * w);
        _twin.Run((backend, on) =>
        {
            backend.MaxPool2x2(on(x), on(y), planes, h, w);
            backend.MaxPool2x2Backward(on(x), on(dy), on(dx), planes, h, w);
        });
        _twin.AssertClose(y, 0, "MaxPool2x2");
        _twin.AssertClose(dx, 0, "MaxPool2x2Backward");
    }

    [Test]
    public void Conv2dMaxPool_ForwardAndGradients_AndUnpool_MatchCpu([Values] bool relu)
    {
        // the hypernetwork's first layer on 3 images (the CPU's per-image route in float32), its second layer (the winners-only
        // gradients in float32), and a small im2col shape
        ConvGeometry[] cases =
        [
            ConvGeometry.ForConv(n: 3, c: 1, h: 28, w: 28, k: 16, r: 5, s: 5, stride: 1, pad: 2),
            ConvGeometry.ForConv(n: 3, c: 32, h: 14, w: 14, k: 16, r: 5, s: 5, stride: 1, pad: 2),
            ConvGeometry.ForConv(n: 2, c: 3, h: 6, w: 8, k: 4, r: 3, s: 3, stride: 1, pad: 1),
        ];
        foreach (var g in cases)
        {
            var what = $"conv+pool{(relu ? "+relu" : "")} N{g.N} C{g.C} {g.H}x{g.W} K{g.K}";
            var windows = g.N * g.K * (g.P / 2) * (g.Q / 2);
            var x = _twin.Random(g.InputLength, 192);
            var w = _twin.Random(g.WeightLength, 193);
            var bias = _twin.Random(g.K, 194);
            var dpooled = _twin.Random(windows, 195);
            var pooled = _twin.Output(windows);
            var code = _twin.Output(windows);
            var dw = _twin.Output(g.WeightLength);
            var db = _twin.Output(g.K);
            var dy = _twin.Output(g.OutputLength);
            var dx = _twin.Output(g.InputLength);
            _twin.Run((backend, on) =>
            {
                backend.Conv2dMaxPoolForward(g, on(x), on(w), on(bias), on(pooled), on(code), relu);
                backend.Conv2dMaxPoolBackwardWeight(g, on(x), on(dpooled), on(code), on(dw), on(db));
                backend.Conv2dMaxPoolBackwardData(g, on(dpooled), on(code), on(w), on(dx));
                backend.MaxUnpool2x2(on(dpooled), on(code), on(dy), g.N * g.K, g.P, g.Q);
            });
            _twin.AssertClose(code, 0, what + " winners");
            _twin.AssertClose(pooled, Accumulated, what + " pooled");
            _twin.AssertClose(dw, Accumulated, what + " weight gradient");
            _twin.AssertClose(db, Accumulated, what + " bias gradient");
            _twin.AssertClose(dx, Accumulated, what + " data gradient");
            _twin.AssertClose(dy, 0, what + " unpooled");
        }
    }

    private static double[] Rows(double[] values, int rows, int cols, int stride) =>
        Enumerable.Range(0, rows).SelectMany(r => values.Skip(r * stride).Take(cols)).ToArray();
}
