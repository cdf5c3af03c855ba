using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

public class FusedGradCheckTests
{
    [Test]
    public void GradCheck_Reparameterize_SeveralSamples()
    {
        var eps = Seeds.Randn(90, [3, 2, 5], requiresGrad: false);
        GradCheck.Check(t => Engine.Core.Ops.Reparameterize(t[0], t[1], eps), Seeds.Randn(91, [2, 5]), Seeds.Randn(92, [2, 5], 0.5));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void GradCheck_NearestNeighbourDistance(bool l1) =>
        // 6 samples of 4 dimensions from a fixed seed: every nearest distance is unique by far more than the step, so the
        // finite differences do not switch neighbours
        GradCheck.Check(t => Engine.Core.Ops.NearestNeighbourDistance(t[0], l1, out _), Seeds.Randn(99, [6, 4]));

    [Test]
    public void NearestNeighbourDistance_MatchesDefinition([Values] bool l1)
    {
        var x = Seeds.Randn(100, [5, 3], requiresGrad: false);
        var values = x.ToDoubleArray();
        var distance = Engine.Core.Ops.NearestNeighbourDistance(x, l1, out var neighbours).ToDoubleArray();
        var found = neighbours.ToDoubleArray();
        for (var i = 0; i < 5; i++)
        {
            var all = Enumerable.Range(0, 5).Where(j => j != i)
                .Select(j => (J: j, D: l1
                    ? Enumerable.Range(0, 3).Sum(k => Math.Abs(values[i * 3 + k] - values[j * 3 + k]))
                    : Math.Sqrt(Enumerable.Range(0, 3).Sum(k => Math.Pow(values[i * 3 + k] - values[j * 3 + k], 2)))))
                .OrderBy(p => p.D).ThenBy(p => p.J).First();
            Assert.That(found[i], Is.EqualTo(all.J), $"row {i}");
            Assert.That(distance[i], Is.EqualTo(all.D).Within(1e-12), $"row {i}");
        }
    }

    [Test]
    public void NearestNeighbourDistance_OneSample_IsRejected() =>
        Assert.That(() => Engine.Core.Ops.NearestNeighbourDistance(Seeds.Randn(101, [1, 3]), true, out _), Throws.ArgumentException.With.Message.Contains("at least 2 samples"));

    [Test]
    public void GradCheck_Reparameterize_OneSample()
    {
        var eps = Seeds.Randn(93, [4, 3], requiresGrad: false);
        GradCheck.Check(t => Engine.Core.Ops.Reparameterize(t[0], t[1], eps), Seeds.Randn(94, [4, 3]), Seeds.Randn(95, [4, 3], 0.5));
    }

    [Test]
    public void Reparameterize_MatchesDefinition()
    {
        var mu = Seeds.Randn(96, [2, 3], requiresGrad: false);
        var logvar = Seeds.Randn(97, [2, 3], requiresGrad: false);
        var eps = Seeds.Randn(98, [4, 2, 3], requiresGrad: false);
        var z = Engine.Core.Ops.Reparameterize(mu, logvar, eps).ToDoubleArray();
        double[] m = mu.ToDoubleArray(), l = logvar.ToDoubleArray(), e = eps.ToDoubleArray();
        for (var i = 0; i < z.Length; i++)
        {
            Assert.That(z[i], Is.EqualTo(m[i % 6] + Math.Exp(0.5 * l[i % 6]) * e[i]).Within(1e-12));
        }
    }

    [Test]
    public void GradCheck_LogMeanExpWeights() => GradCheck.Check(t => Engine.Core.Ops.LogMeanExpWeights(t[0], out _), Seeds.Randn(99, [3, 7], 4));

    [Test]
    public void LogMeanExpWeights_EqualsLogMeanExp_AndWeightsAreSoftmax()
    {
        var logw = Seeds.Randn(100, [3, 7], 50, requiresGrad: false);
        var lme = Engine.Core.Ops.LogMeanExpWeights(logw, out var weights).ToDoubleArray();
        Assert.That(lme, Is.EqualTo(Engine.Core.Ops.LogMeanExp(logw, 1).ToDoubleArray()).Within(1e-9));
        var w = weights.ToDoubleArray();
        var l = logw.ToDoubleArray();
        for (var r = 0; r < 3; r++)
        {
            Assert.That(w.Skip(r * 7).Take(7).Sum(), Is.EqualTo(1).Within(1e-12));
            for (var s = 0; s < 7; s++)
            {
                Assert.That(w[r * 7 + s], Is.EqualTo(Math.Exp(l[r * 7 + s] - lme[r] - Math.Log(7))).Within(1e-12));
            }
        }
    }

    [Test]
    public void GradCheck_HyperLayer_SeveralTargets()
    {
        var h = Seeds.Randn(101, [3, 4]);
        Tensor[] inputs =
        [
            h,
            Seeds.Randn(102, [2, 3]), Seeds.Randn(103, [4, 5]), Seeds.Randn(104, [2, 5]),
            Seeds.Randn(105, [1, 3]), Seeds.Randn(106, [4, 3]), Seeds.Randn(107, [1, 3]),
        ];
        GradCheck.Check(t =>
        {
            var outputs = Engine.Core.Ops.HyperLayer(t[0],
            [
                new HyperTarget(t[1], t[2], t[3], new Shape(5, 2)),
                new HyperTarget(t[4], t[5], t[6], new Shape(3), Activation.Tanh),
            ]);
            return Engine.Core.Ops.Concat(0, Engine.Core.Ops.Reshape(outputs[0], -1), outputs[1]);
        }, inputs);
    }

    [Test]
    public void HyperLayer_WithZeroUAndV_ReturnsB()
    {
        var h = Seeds.Randn(108, [3, 3], requiresGrad: false);
        var b = Seeds.Randn(109, [2, 4], requiresGrad: false);
        var zeroU = Tensor.Zeros(new Shape(2, 3), Engine.Kernels.DType.Float64);
        var zeroV = Tensor.Zeros(new Shape(3, 4), Engine.Kernels.DType.Float64);
        var w = Engine.Core.Ops.HyperLayer(h, [new HyperTarget(zeroU, zeroV, b, new Shape(8))])[0];
        Assert.That(w.ToDoubleArray(), Is.EqualTo(b.ToDoubleArray()));
    }
}
