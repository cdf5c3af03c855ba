using Engine.Core;
using Engine.Kernels;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

public class LossGradCheckTests
{
    [Test]
    public void GradCheck_BernoulliLogLikelihood()
    {
        var x = Seeds.Uniform(70, [4, 6], 0, 1, requiresGrad: false);
        GradCheck.Check(t => Engine.Core.Ops.BernoulliLogLikelihood(t[0], x), Seeds.Randn(71, [4, 6], 3));
    }

    [Test]
    public void GradCheck_BernoulliLogLikelihood_SamplesBroadcastOverTargets()
    {
        var x = Seeds.Uniform(72, [3, 5], 0, 1, requiresGrad: false);
        GradCheck.Check(t => Engine.Core.Ops.BernoulliLogLikelihood(t[0], x), Seeds.Randn(73, [2, 3, 5], 3));
    }

    [Test]
    public void BernoulliLogLikelihood_IsStable_ForExtremeLogits()
    {
        var logits = Seeds.Leaf([200.0, -200.0, 0.0], [1, 3], requiresGrad: false);
        var x = Seeds.Leaf([1.0, 0.0, 1.0], [1, 3], requiresGrad: false);
        var ll = Engine.Core.Ops.BernoulliLogLikelihood(logits, x).Item();
        Assert.That(ll, Is.EqualTo(-Math.Log(2)).Within(1e-12));
    }

    [Test]
    public void BernoulliLogLikelihood_MatchesReference()
    {
        var logits = Seeds.Randn(74, [3, 4], 2, requiresGrad: false);
        var x = Seeds.Uniform(75, [3, 4], 0, 1, requiresGrad: false);
        var ll = Engine.Core.Ops.BernoulliLogLikelihood(logits, x).ToDoubleArray();
        var l = logits.ToDoubleArray();
        var t = x.ToDoubleArray();
        for (var r = 0; r < 3; r++)
        {
            var expected = 0.0;
            for (var c = 0; c < 4; c++)
            {
                var p = 1 / (1 + Math.Exp(-l[r * 4 + c]));
                expected += t[r * 4 + c] * Math.Log(p) + (1 - t[r * 4 + c]) * Math.Log(1 - p);
            }

            Assert.That(ll[r], Is.EqualTo(expected).Within(1e-12));
        }
    }

    [Test]
    public void GradCheck_GaussianLogDensity_Broadcast() =>
        GradCheck.Check(t => Engine.Core.Ops.GaussianLogDensity(t[0], t[1], t[2]), Seeds.Randn(76, [2, 3, 4]), Seeds.Randn(77, [3, 4]), Seeds.Randn(78, [3, 4], 0.5));

    [Test]
    public void GradCheck_GaussianLogDensity_SameShape() =>
        GradCheck.Check(t => Engine.Core.Ops.GaussianLogDensity(t[0], t[1], t[2]), Seeds.Randn(82, [3, 5]), Seeds.Randn(83, [3, 5]), Seeds.Randn(84, [3, 5], 0.5));

    [Test]
    public void GradCheck_GaussianLogDensity_VampPriorBroadcast_ComposedRoute() =>
        GradCheck.Check(t => Engine.Core.Ops.GaussianLogDensity(t[0], t[1], t[2]), Seeds.Randn(85, [2, 1, 4]), Seeds.Randn(86, [3, 4]), Seeds.Randn(87, [3, 4], 0.5));

    [Test]
    public void GradCheck_GaussianLogDensity_ConstantParameters() =>
        GradCheck.Check(t => Engine.Core.Ops.GaussianLogDensity(t[0], Seeds.Randn(92, [3, 4], requiresGrad: false), Seeds.Randn(93, [3, 4], 0.5, requiresGrad: false)), Seeds.Randn(91, [2, 3, 4]));

    [Test]
    public void GaussianLogDensity_FusedAndComposedRoutes_Agree()
    {
        // μ [1, 4] against x [2, 3, 4] broadcasts within the trailing axes, so it takes the composed route; the same
        // parameters tiled to [3, 4] are x's trailing block and take the fused kernel. Both are the same densities.
        var x = Seeds.Randn(88, [2, 3, 4]);
        var mu = Seeds.Randn(89, [1, 4]);
        var logvar = Seeds.Randn(90, [1, 4], 0.5);
        var composed = Engine.Core.Ops.GaussianLogDensity(x, mu, logvar).ToDoubleArray();
        var tiled = Engine.Core.Ops.GaussianLogDensity(x, Engine.Core.Ops.Add(mu, Engine.Core.Tensor.Zeros(new Shape(3, 4), DType.Float64)),
            Engine.Core.Ops.Add(logvar, Engine.Core.Tensor.Zeros(new Shape(3, 4), DType.Float64))).ToDoubleArray();
        Assert.That(tiled, Is.EqualTo(composed).Within(1e-12));
    }

    [Test]
    public void GaussianLogDensity_MatchesReference()
    {
        var x = Seeds.Leaf([0.3, -1.2], [1, 2], requiresGrad: false);
        var mu = Seeds.Leaf([0.1, 0.4], [1, 2], requiresGrad: false);
        var logvar = Seeds.Leaf([0.2, -0.7], [1, 2], requiresGrad: false);
        var expected = 0.0;
        double[] xs = [0.3, -1.2], ms = [0.1, 0.4], lv = [0.2, -0.7];
        for (var i = 0; i < 2; i++)
        {
            expected += -0.5 * (Math.Log(2 * Math.PI) + lv[i] + Math.Pow(xs[i] - ms[i], 2) / Math.Exp(lv[i]));
        }

        Assert.That(Engine.Core.Ops.GaussianLogDensity(x, mu, logvar).Item(), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void GradCheck_StandardNormalLogDensity() => GradCheck.Check(t => Engine.Core.Ops.StandardNormalLogDensity(t[0]), Seeds.Randn(79, [3, 5]));

    [Test]
    public void GradCheck_KlStandardNormal() => GradCheck.Check(t => Engine.Core.Ops.KlStandardNormal(t[0], t[1]), Seeds.Randn(80, [3, 5]), Seeds.Randn(81, [3, 5], 0.5));

    [Test]
    public void GradCheck_KlDiagonalGaussians() =>
        GradCheck.Check(t => Engine.Core.Ops.KlDiagonalGaussians(t[0], t[1], t[2], t[3]), Seeds.Randn(82, [3, 4]), Seeds.Randn(83, [3, 4], 0.5), Seeds.Randn(84, [3, 4]), Seeds.Randn(85, [3, 4], 0.5));

    [Test]
    public void KlStandardNormal_EqualsKlDiagonal_AgainstStandard_AndIsZeroAtTheStandard()
    {
        var mu = Seeds.Randn(86, [2, 3], requiresGrad: false);
        var logvar = Seeds.Randn(87, [2, 3], 0.5, requiresGrad: false);
        var zeros = Tensor.Zeros(new Shape(2, 3), Engine.Kernels.DType.Float64);
        Assert.That(Engine.Core.Ops.KlStandardNormal(mu, logvar).ToDoubleArray(),
            Is.EqualTo(Engine.Core.Ops.KlDiagonalGaussians(mu, logvar, zeros, zeros).ToDoubleArray()).Within(1e-12));
        Assert.That(Engine.Core.Ops.KlStandardNormal(zeros, zeros).ToDoubleArray(), Is.All.EqualTo(0.0).Within(1e-15));
    }

    [Test]
    public void GradCheck_SoftmaxCrossEntropy() => GradCheck.Check(t => Engine.Core.Ops.SoftmaxCrossEntropy(t[0], [2, 0, 4]), Seeds.Randn(88, [3, 5], 2));

    [Test]
    public void GradCheck_SoftmaxCrossEntropy_OneHotLabels()
    {
        var oneHot = Tensor.OneHot([2, 0, 4], 5, DType.Float64);
        GradCheck.Check(t => Engine.Core.Ops.SoftmaxCrossEntropy(t[0], oneHot), Seeds.Randn(89, [3, 5], 2));
        var logits = Seeds.Randn(87, [3, 5], 2, requiresGrad: false);
        Assert.That(Engine.Core.Ops.SoftmaxCrossEntropy(logits, oneHot).ToDoubleArray(), Is.EqualTo(Engine.Core.Ops.SoftmaxCrossEntropy(logits, [2, 0, 4]).ToDoubleArray()));
    }

    [Test]
    public void OneHot_LabelOutsideTheClasses_IsRejected() =>
        Assert.That(() => Tensor.OneHot([1, 5], 5), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("label 5 at row 1"));

    [Test]
    public void SoftmaxCrossEntropy_MatchesReference()
    {
        var logits = Seeds.Leaf([1.0, 2.0, 3.0], [1, 3], requiresGrad: false);
        var expected = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 2;
        Assert.That(Engine.Core.Ops.SoftmaxCrossEntropy(logits, [1]).Item(), Is.EqualTo(expected).Within(1e-12));
    }
}
