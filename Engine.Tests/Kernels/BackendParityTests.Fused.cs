using Engine.Kernels;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

public partial class BackendParityTests
{
    // ---- random: the same Philox streams ----

    [TestCase(42UL, 0UL)]
    [TestCase(7UL, 4294967290UL)]          // counter + i carries into the high word
    [TestCase(0xDEADBEEFCAFEUL, 123456789012UL)]
    public void FillNormalAndUniform_GiveTheCpuStreams(ulong seed, ulong counter)
    {
        var normal = _twin.Output(10_007);
        var uniform = _twin.Output(10_007);
        _twin.Run((backend, on) =>
        {
            backend.FillNormal(on(normal), seed, counter, 0.5, 2.0);
            backend.FillUniform(on(uniform), seed, counter + 99, -1, 3);
        });
        // float32: the double Box–Muller value rounds to the same float unless device and libm
        // log/cos differ in the last double bit right at a rounding boundary (then one ulp, 6e-8).
        var tolerance = dtype == DType.Float32 ? 2.5e-7 : 1e-12;
        _twin.AssertClose(normal, tolerance, "FillNormal");
        _twin.AssertClose(uniform, tolerance, "FillUniform");
        var cpu = BackendTwin.Read(Cpu, normal.Reference);
        var cl = BackendTwin.Read(normal.Other.Buffer.Backend, normal.Other);
        TestContext.Out.WriteLine($"FillNormal: {cpu.Zip(cl).Count(p => p.First == p.Second)} of {cpu.Length} bitwise equal");
        var values = BackendTwin.Read(uniform.Other.Buffer.Backend, uniform.Other);
        Assert.That(values.All(v => v >= -1 && v < 3), "uniform values stay in [low, high)");
    }

    // ---- fused ----

    [Test]
    public void Reparameterize_ForwardAndBackward_MatchCpu()
    {
        int samples = 3, length = 37;
        var mu = _twin.Random(length, 200);
        var logvar = _twin.Random(length, 201, -3, 2);
        var eps = _twin.Random(samples * length, 202, -2, 2);
        var dz = _twin.Random(samples * length, 203);
        var z = _twin.Output(samples * length);
        var dmu = _twin.Output(length);
        var dlogvar = _twin.Output(length);
        var onlyLogvar = _twin.Output(length);
        _twin.Run((backend, on) =>
        {
            backend.Reparameterize(on(mu), on(logvar), on(eps), on(z), samples, length);
            backend.ReparameterizeBackward(on(logvar), on(eps), on(dz), on(dmu), on(dlogvar), samples, length);
            backend.ReparameterizeBackward(on(logvar), on(eps), on(dz), null, on(onlyLogvar), samples, length);
        });
        _twin.AssertClose(z, Elementwise, "Reparameterize");
        _twin.AssertClose(dmu, Elementwise, "ReparameterizeBackward dmu");
        _twin.AssertClose(dlogvar, Elementwise, "ReparameterizeBackward dlogvar");
        _twin.AssertClose(onlyLogvar, Elementwise, "ReparameterizeBackward dlogvar alone");
    }

    /// <summary>The hyper-layer in one call per direction: two targets (one with a tanh), dH summed over both, B without a gradient.</summary>
    [Test]
    public void HyperLayer_ForwardAndBackward_MatchCpu()
    {
        int inner = 4, outer = 3;
        (int Rows, int Cols, UnaryOp Activation)[] shapes = [(5, 7, UnaryOp.Identity), (2, 9, UnaryOp.Tanh)];
        var h = _twin.Random(inner * outer, 210);
        var targets = shapes.Select((s, i) => (
            U: _twin.Random(s.Rows * inner, 211 + 10 * i), V: _twin.Random(outer * s.Cols, 212 + 10 * i), B: _twin.Random(s.Rows * s.Cols, 213 + 10 * i),
            W: _twin.Output(s.Rows * s.Cols), DW: _twin.Random(s.Rows * s.Cols, 214 + 10 * i),
            DU: _twin.Output(s.Rows * inner), DV: _twin.Output(outer * s.Cols), DB: _twin.Output(s.Rows * s.Cols))).ToArray();
        var uh = _twin.Output(shapes.Sum(s => s.Rows * outer));
        var dh = _twin.Output(inner * outer);
        var scratch = _twin.Output(shapes.Max(s => s.Rows * s.Cols) + shapes.Max(s => s.Rows * outer));
        _twin.Run((backend, on) =>
        {
            var matrices = targets.Select((t, i) => new HyperMatrix(on(t.U), on(t.V), on(t.B), on(t.W), shapes[i].Rows, shapes[i].Cols, shapes[i].Activation, 0)).ToArray();
            var gradients = targets.Select((t, i) => new HyperMatrixGradient(on(t.DW), on(t.DU), on(t.DV), i == 0 ? on(t.DB) : null)).ToArray();
            backend.HyperLayer(on(h), inner, outer, matrices, on(uh));
            backend.HyperLayerBackward(on(h), inner, outer, matrices, on(uh), gradients, on(dh), on(scratch));
        });
        for (var i = 0; i < targets.Length; i++)
        {
            _twin.AssertClose(targets[i].W, Accumulated, $"HyperLayer W of target {i}");
            _twin.AssertClose(targets[i].DU, Accumulated, $"HyperLayerBackward dU of target {i}");
            _twin.AssertClose(targets[i].DV, Accumulated, $"HyperLayerBackward dV of target {i}");
        }

        _twin.AssertClose(targets[0].DB, Accumulated, "HyperLayerBackward dB");
        _twin.AssertClose(dh, Accumulated, "HyperLayerBackward dH");
    }

    [TestCase(2, 5, true)]
    [TestCase(7, 33, false)]
    [TestCase(32, 2001, true)]
    [TestCase(32, 2001, false)]
    public void NearestNeighbours_ForwardAndBackward_MatchCpu(int n, int dim, bool l1)
    {
        var random = new System.Random(220 + n);
        var values = Enumerable.Range(0, n * dim).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        Array.Copy(values, 0, values, dim, dim); // rows 0 and 1 coincide: a zero distance, and ties for every other row
        var x = _twin.Data(values);
        var dd = _twin.Random(n, 221);
        var dx = _twin.Random(n * dim, 222);
        var distance = _twin.Output(n);
        var neighbour = _twin.Output(n);
        _twin.Run((backend, on) =>
        {
            backend.NearestNeighbours(on(x), n, dim, l1, on(distance), on(neighbour));
            backend.NearestNeighboursBackward(on(x), on(neighbour), on(distance), on(dd), on(dx), n, dim, l1);
        });
        _twin.AssertClose(neighbour, 0, $"NearestNeighbours neighbour {n}×{dim}");
        _twin.AssertClose(distance, Accumulated, $"NearestNeighbours distance {n}×{dim}");
        _twin.AssertClose(dx, Accumulated, $"NearestNeighboursBackward dx {n}×{dim}");
    }

    [TestCase(5, 7)]
    [TestCase(3, 200)]
    public void LogMeanExpWeights_MatchesCpu(int rows, int samples)
    {
        var random = new System.Random(210);
        var values = Enumerable.Range(0, rows * samples).Select(_ => -50 + 30 * random.NextDouble()).ToArray();
        for (var s = 0; s < samples; s++)
        {
            values[s] = double.NegativeInfinity; // row 0 has zero weight everywhere
        }

        values[samples + 1] = double.NegativeInfinity; // one impossible sample in row 1
        var logw = _twin.Data(values);
        var lme = _twin.Output(rows);
        var weights = _twin.Output(rows * samples);
        _twin.Run((backend, on) => backend.LogMeanExpWeights(on(logw), on(lme), on(weights), rows, samples));
        _twin.AssertClose(lme, Accumulated, $"LogMeanExpWeights lme [{rows},{samples}]");
        _twin.AssertClose(weights, Accumulated, $"LogMeanExpWeights weights [{rows},{samples}]");
    }

    [TestCase(6, 97, 6)]
    [TestCase(6, 97, 2)]      // targets broadcast over a leading sample axis
    [TestCase(4, 784, 4)]
    public void BernoulliLogLikelihood_ForwardAndBackward_MatchCpu(int rows, int cols, int xRows)
    {
        var logits = _twin.Random(rows * cols, 220, -12, 12);
        var random = new System.Random(221);
        var x = _twin.Data(Enumerable.Range(0, xRows * cols).Select(_ => random.NextDouble() < 0.3 ? 1.0 : random.NextDouble() < 0.5 ? 0.0 : random.NextDouble()).ToArray());
        var ll = _twin.Output(rows);
        var dll = _twin.Random(rows, 222);
        var dlogits = _twin.Output(rows * cols);
        _twin.Run((backend, on) =>
        {
            backend.BernoulliLogLikelihood(on(logits), on(x), on(ll), rows, cols, xRows);
            backend.BernoulliLogLikelihoodBackward(on(logits), on(x), on(dll), on(dlogits), rows, cols, xRows);
        });
        _twin.AssertClose(ll, Accumulated, $"BernoulliLogLikelihood [{rows},{cols}] xRows {xRows}");
        _twin.AssertClose(dlogits, Elementwise, $"BernoulliLogLikelihoodBackward [{rows},{cols}] xRows {xRows}");
    }

    [TestCase(6, 37, 3, false)]   // parameters repeated over a sample axis
    [TestCase(5, 40, 5, false)]   // one parameter row per row
    [TestCase(64, 40, 1, false)]  // many samples of one datum (IS-NLL)
    [TestCase(7, 33, 1, true)]    // the standard normal
    public void GaussianLogDensity_ForwardAndBackward_MatchCpu(int rows, int cols, int paramRows, bool standard)
    {
        var x = _twin.Random(rows * cols, 250, -3, 3);
        var mu = _twin.Random(paramRows * cols, 251);
        var logvar = _twin.Random(paramRows * cols, 252, -2, 2);
        var dll = _twin.Random(rows, 253);
        var ll = _twin.Output(rows);
        var dx = _twin.Output(rows * cols);
        var dmu = _twin.Output(paramRows * cols);
        var dlogvar = _twin.Output(paramRows * cols);
        _twin.Run((backend, on) =>
        {
            BufferView? m = standard ? null : on(mu), v = standard ? null : on(logvar);
            backend.GaussianLogDensity(on(x), m, v, on(ll), rows, cols, paramRows);
            backend.GaussianLogDensityBackward(on(x), m, v, on(dll), on(dx), standard ? null : on(dmu), standard ? null : on(dlogvar), rows, cols, paramRows);
        });
        var what = $"GaussianLogDensity [{rows},{cols}] parameter rows {paramRows} standard {standard}";
        _twin.AssertClose(ll, Accumulated, what);
        _twin.AssertClose(dx, Elementwise, what + " dx");
        if (!standard)
        {
            _twin.AssertClose(dmu, Accumulated, what + " dμ");
            _twin.AssertClose(dlogvar, Accumulated, what + " dlogvar");
        }
    }

    // ---- optimisers ----

    [Test]
    public void AdamStep_ThreeSteps_MatchesCpu()
    {
        var p = _twin.Random(1003, 230);
        var m = _twin.Data(new double[1003]);
        var v = _twin.Data(new double[1003]);
        for (var t = 1; t <= 3; t++)
        {
            var grad = _twin.Random(1003, 230 + t);
            double c1 = 1 - Math.Pow(0.9, t), c2 = 1 - Math.Pow(0.999, t);
            _twin.Run((backend, on) => backend.AdamStep(on(p), on(grad), on(m), on(v), 1e-2, 0.9, 0.999, 1e-8, c1, c2, 1e-3, 0.5));
        }

        _twin.AssertClose(p, Elementwise, "Adam p");
        _twin.AssertClose(m, Elementwise, "Adam m");
        _twin.AssertClose(v, Elementwise, "Adam v");
    }

    [Test]
    public void SgdStep_WithAndWithoutMomentum_MatchesCpu()
    {
        var p = _twin.Random(1003, 240);
        var plain = _twin.Random(1003, 241);
        var buffer = _twin.Data(new double[1003]);
        for (var t = 0; t < 3; t++)
        {
            var grad = _twin.Random(1003, 242 + t);
            _twin.Run((backend, on) =>
            {
                backend.SgdStep(on(p), on(grad), on(buffer), 0.1, 0.9, 2.0);
                backend.SgdStep(on(plain), on(grad), null, 0.1, 0, 1.0);
            });
        }

        _twin.AssertClose(p, Elementwise, "SGD momentum p");
        _twin.AssertClose(buffer, Elementwise, "SGD momentum buffer");
        _twin.AssertClose(plain, Elementwise, "SGD p");
    }
}
