using Engine.Core;
using Engine.Kernels;
using Engine.Models.HyperNet;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class HyperNetworkTests
{
    [Test]
    public void ParameterCounts_AreTheSpecs_633640_And_20018()
    {
        var model = new MnistHyperNetwork(new HyperNetOptions(), new Rng(1));
        Assert.That(model.ParameterCount(), Is.EqualTo(633_640));
        using var scope = new TensorScope();
        using var noGrad = Tape.NoGrad();
        var weights = model.Generate(model.SampleNoise(2, new Rng(2)));
        Assert.That(weights.Flatten().Shape, Is.EqualTo(new Shape(2, TargetWeights.PerNetwork)));
    }

    [TestCase(EntropyMetric.L2)]
    [TestCase(EntropyMetric.L1)]
    public void EntropyEstimate_MatchesClosedForms(EntropyMetric metric)
    {
        // 2-D standard normal: H = log(2πe) = 2.8379; unit square: H = 0. N = 4000; KL bias at this N is ≪ 0.05.
        var gaussian = new Rng(3).Normal(new Shape(4000, 2), DType.Float64);
        Assert.That(KozachenkoLeonenko.EstimateWithConstants(gaussian, metric), Is.EqualTo(Math.Log(2 * Math.PI * Math.E)).Within(0.05));
        var uniform = new Rng(4).Uniform(new Shape(4000, 2), 0, 1, DType.Float64);
        Assert.That(KozachenkoLeonenko.EstimateWithConstants(uniform, metric), Is.EqualTo(0).Within(0.05));
    }

    [Test]
    public void NearestNeighbours_MatchesBruteForce_AndBreaksTiesToTheLowestIndex(
        [Values(EntropyMetric.L1, EntropyMetric.L2)] EntropyMetric metric, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // rows 0, 2 and 5 are equal (distance 0: each must pick the lowest other index); the rest random
        var values = new Rng(8).Normal(new Shape(9, 37), DType.Float64).ToDoubleArray();
        foreach (var copy in new[] { 2, 5 })
        {
            Array.Copy(values, 0, values, copy * 37, 37);
        }

        var samples = Tensor.FromArray(values, 9, 37).To(dtype);
        var stored = samples.ToDoubleArray();
        var found = KozachenkoLeonenko.NearestNeighbours(samples, metric);
        for (var i = 0; i < 9; i++)
        {
            var (best, bestJ) = (double.PositiveInfinity, -1);
            for (var j = 0; j < 9; j++)
            {
                var d = Enumerable.Range(0, 37).Sum(k => metric == EntropyMetric.L1 ? Math.Abs(stored[i * 37 + k] - stored[j * 37 + k]) : Math.Pow(stored[i * 37 + k] - stored[j * 37 + k], 2));
                if (j != i && d < best)
                {
                    (best, bestJ) = (d, j);
                }
            }

            Assert.That(found[i], Is.EqualTo(bestJ), $"row {i}");
        }

        Assert.That(new[] { found[0], found[2], found[5] }, Is.EqualTo(new[] { 2, 0, 0 }));
    }

    [Test]
    public void GradCheck_KozachenkoLeonenko() =>
        GradCheck.Check(t => KozachenkoLeonenko.Estimate(t[0], 3, EntropyMetric.L2), Seeds.Randn(5, [5, 4]));

    private static (TargetWeights Raw, Tensor X) RawNetworks(int n)
    {
        var model = new MnistHyperNetwork(new HyperNetOptions(GaugeFixing: false), new Rng(6), DType.Float64);
        var raw = model.Generate(model.SampleNoise(n, new Rng(7), DType.Float64));
        var x = new Rng(8).Uniform(new Shape(n, 3, 784), 0, 1, DType.Float64);
        return (raw, x);
    }

    [Test]
    public void GaugeFixing_LeavesTheNetworkFunctionUnchanged_UpToTheLogitShift()
    {
        var (raw, x) = RawNetworks(2);
        var fixedWeights = GaugeFixing.Apply(raw, LogitGauge.Mean);
        var before = Engine.Core.Ops.LogSumExp(MnistTargetNetwork.Forward(raw, x), 2);
        var after = Engine.Core.Ops.LogSumExp(MnistTargetNetwork.Forward(fixedWeights, x), 2);
        // Log-softmax is invariant; logits move by the (per-network) bias mean only. The spec's ε terms
        // (s = √(·+1e-8), division by s + 1e-8) distort each layer by a relative 1e-8/s, with s as small
        // as ~0.01 for some filters here: agreement is to a relative 1e-5, not to rounding.
        var logProbBefore = Engine.Core.Ops.Sub(MnistTargetNetwork.Forward(raw, x), Engine.Core.Ops.Reshape(before, 2, 3, 1)).ToDoubleArray();
        var logProbAfter = Engine.Core.Ops.Sub(MnistTargetNetwork.Forward(fixedWeights, x), Engine.Core.Ops.Reshape(after, 2, 3, 1)).ToDoubleArray();
        Assert.That(logProbAfter, Is.EqualTo(logProbBefore).Within(1e-3).Percent);
        var b4 = fixedWeights.B4.ToDoubleArray();
        Assert.That(b4.Take(10).Sum(), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void GaugeFixing_MakesScaleSymmetricCopiesIdentical()
    {
        var (raw, _) = RawNetworks(2);
        // Copy of network 0: filter 3 of layer 1 (weights and bias) × 2.5, and layer 2's weights reading channel 3 ÷ 2.5.
        var w1 = raw.W1.ToDoubleArray();
        var b1 = raw.B1.ToDoubleArray();
        var w2 = raw.W2.ToDoubleArray();
        for (var k = 0; k < 25; k++)
        {
            w1[3 * 25 + k] *= 2.5;
        }

        b1[3] *= 2.5;
        for (var o = 0; o < 16; o++)
        {
            for (var k = 0; k < 25; k++)
            {
                w2[(o * 32 + 3) * 25 + k] /= 2.5;
            }
        }

        var copy = raw with
        {
            W1 = Seeds.Leaf(w1, raw.W1.Shape.ToArray(), false),
            B1 = Seeds.Leaf(b1, raw.B1.Shape.ToArray(), false),
            W2 = Seeds.Leaf(w2, raw.W2.Shape.ToArray(), false),
        };
        var a = GaugeFixing.Apply(raw, LogitGauge.Mean).Flatten().ToDoubleArray();
        var b = GaugeFixing.Apply(copy, LogitGauge.Mean).Flatten().ToDoubleArray();
        // Equal up to the spec's ε terms (see above).
        var worst = a.Zip(b, (p, q) => Math.Abs(p - q) / (Math.Abs(p) + 1e-3)).Max();
        Assert.That(worst, Is.LessThan(1e-5));
    }

    [Test]
    public void GradCheck_HyperNetworkLoss_GeneratorToTargetToLoss_Direction()
    {
        var model = new MnistHyperNetwork(new HyperNetOptions(Lambda: 10), new Rng(9), DType.Float64);
        var z = model.SampleNoise(3, new Rng(10), DType.Float64);
        var x = new Rng(11).Uniform(new Shape(3, 2, 784), 0, 1, DType.Float64);
        int[] labels = [1, 7, 3, 0, 9, 4];
        GradCheck.CheckDirection(_ => model.Loss(z, x, labels).Loss, model.Parameters().ToArray(), atol: 1e-5, rtol: 1e-3);
    }
}
