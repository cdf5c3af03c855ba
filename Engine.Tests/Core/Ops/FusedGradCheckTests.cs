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

    [TestCase(Activation.Relu)]
    [TestCase(Activation.LeakyRelu)]
    [TestCase(Activation.Sigmoid)]
    public void GradCheck_HyperLayer_Activations(Activation activation)
    {
        Tensor[] inputs = [Seeds.Randn(111, [3, 2]), Seeds.Randn(112, [4, 3]), Seeds.Randn(113, [2, 5]), Seeds.Randn(114, [4, 5])];
        GradCheck.Check(t => Engine.Core.Ops.HyperLayer(t[0], [new HyperTarget(t[1], t[2], t[3], new Shape(20), activation)])[0], inputs);
    }

    /// <summary>
    /// The one-call kernel against the ops it replaces (MatMul, MatMul, Add, activation), values and every gradient, in
    /// float64: targets of several sizes and activations, one that H reaches through two targets, and a B without a gradient.
    /// </summary>
    [Test]
    public void HyperLayer_MatchesComposedOps()
    {
        var h = Seeds.Randn(120, [4, 3]);
        var shared = Seeds.Randn(121, [5, 4]);
        HyperTarget[] Targets(Tensor hh) =>
        [
            new HyperTarget(shared, Seeds.Randn(122, [3, 7]), Seeds.Randn(123, [5, 7]), new Shape(35)),
            new HyperTarget(Seeds.Randn(124, [1, 4]), Seeds.Randn(125, [3, 1]), Seeds.Randn(126, [1, 1], requiresGrad: false), new Shape(1), Activation.Tanh),
            new HyperTarget(shared, Seeds.Randn(127, [3, 6]), Seeds.Randn(128, [5, 6]), new Shape(5, 6), Activation.Relu),
        ];
        var fusedTargets = Targets(h);
        var composedTargets = Targets(h);
        var upstream = Seeds.Randn(129, [35 + 1 + 30], requiresGrad: false);

        (double[] Values, double[][] Gradients) Run(Func<Tensor[]> layer, HyperTarget[] targets)
        {
            Tensor[] leaves = [h, .. targets.SelectMany(t => new[] { t.U, t.V, t.B }).Where(t => t.RequiresGrad).Distinct()];
            foreach (var leaf in leaves)
            {
                leaf.ZeroGrad();
            }

            using var tape = new Tape();
            var flat = Engine.Core.Ops.Concat(0, [.. layer().Select(w => Engine.Core.Ops.Reshape(w, -1))]);
            tape.Backward(flat, upstream);
            return (flat.ToDoubleArray(), [.. leaves.Select(l => l.Grad!.ToDoubleArray())]);
        }

        var fused = Run(() => Engine.Core.Ops.HyperLayer(h, fusedTargets), fusedTargets);
        var composed = Run(() => [.. composedTargets.Select(t => Composed(h, t))], composedTargets);
        Assert.That(fused.Values, Is.EqualTo(composed.Values).Within(1e-12));
        Assert.That(fused.Values.Skip(36), Has.Some.EqualTo(0.0), "the ReLU target cut some values");
        for (var i = 0; i < fused.Gradients.Length; i++)
        {
            Assert.That(fused.Gradients[i], Is.EqualTo(composed.Gradients[i]).Within(1e-12), $"gradient of leaf {i}");
        }
    }

    private static Tensor Composed(Tensor h, HyperTarget t)
    {
        var pre = Engine.Core.Ops.Add(Engine.Core.Ops.MatMul(Engine.Core.Ops.MatMul(t.U, h), t.V), t.B);
        var w = t.Activation switch
        {
            Activation.Relu => Engine.Core.Ops.Relu(pre),
            Activation.Tanh => Engine.Core.Ops.Tanh(pre),
            _ => pre,
        };
        return Engine.Core.Ops.Reshape(w, t.Shape.ToArray());
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
