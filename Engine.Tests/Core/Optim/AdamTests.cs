using Engine.Core;
using Engine.Core.Optim;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Optim;

public class AdamTests
{
    /// <summary>Sets the gradient of p to g by backpropagating Σ p ⊙ g.</summary>
    private static void SetGrad(Tensor p, double[] g)
    {
        p.ZeroGrad();
        using var tape = new Tape();
        tape.Backward(Engine.Core.Ops.Sum(Engine.Core.Ops.Mul(p, Seeds.Leaf(g, [g.Length], requiresGrad: false))));
    }

    [Test]
    public void FirstTwoSteps_MatchHandComputedValues()
    {
        var p = Seeds.Leaf([1.0, -2.0], [2]);
        var adam = new Adam([p], new AdamOptions(LearningRate: 0.1));

        // Step 1, g = (0.5, −4): m = 0.1g, v = 0.001g², m̂ = g, v̂ = g² → p −= 0.1·g/(|g| + 1e-8).
        SetGrad(p, [0.5, -4.0]);
        adam.Step();
        var step1 = p.ToDoubleArray();
        Assert.That(step1[0], Is.EqualTo(1.0 - 0.1 * 0.5 / (0.5 + 1e-8)).Within(1e-12));
        Assert.That(step1[1], Is.EqualTo(-2.0 + 0.1 * 4.0 / (4.0 + 1e-8)).Within(1e-12));

        // Step 2, g = (1, 2): by hand from Algorithm 1.
        SetGrad(p, [1.0, 2.0]);
        adam.Step();
        double[] g1 = [0.5, -4.0], g2 = [1.0, 2.0];
        var step2 = p.ToDoubleArray();
        for (var i = 0; i < 2; i++)
        {
            var m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
            var v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
            var mHat = m / (1 - 0.81);
            var vHat = v / (1 - 0.999 * 0.999);
            Assert.That(step2[i], Is.EqualTo(step1[i] - 0.1 * mHat / (Math.Sqrt(vHat) + 1e-8)).Within(1e-12));
        }
    }

    [Test]
    public void NormalizeGrad_DividesByTheTensorNorm()
    {
        var p = Seeds.Leaf([0.0, 0.0], [2]);
        var plain = Seeds.Leaf([0.0, 0.0], [2]);
        var normalized = new Adam([p], new AdamOptions(LearningRate: 0.1, NormalizeGrad: true, Eps: 1e-3));
        var reference = new Adam([plain], new AdamOptions(LearningRate: 0.1, Eps: 1e-3));
        SetGrad(p, [3.0, 4.0]);
        SetGrad(plain, [3.0 / (5 + 1e-7), 4.0 / (5 + 1e-7)]);
        normalized.Step();
        reference.Step();
        Assert.That(p.ToDoubleArray(), Is.EqualTo(plain.ToDoubleArray()).Within(1e-12));
    }

    [Test]
    public void Sgd_WithMomentum_MatchesHandComputedValues()
    {
        var p = Seeds.Leaf([1.0], [1]);
        var sgd = new Sgd([p], 0.1, momentum: 0.9);
        SetGrad(p, [2.0]);
        sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(1.0 - 0.1 * 2.0).Within(1e-12));
        SetGrad(p, [1.0]);
        sgd.Step();
        Assert.That(p.Item(), Is.EqualTo(0.8 - 0.1 * (0.9 * 2.0 + 1.0)).Within(1e-12));
    }

    [Test]
    public void ClipGradNorm_ScalesToTheLimit_AndReportsTheNorm()
    {
        var p = Seeds.Leaf([0.0, 0.0], [2]);
        var sgd = new Sgd([p], 1);
        SetGrad(p, [3.0, 4.0]);
        Assert.That(sgd.ClipGradNorm(1.0), Is.EqualTo(5).Within(1e-12));
        Assert.That(p.Grad!.ToDoubleArray(), Is.EqualTo(new[] { 0.6, 0.8 }).Within(1e-9));
    }
}
