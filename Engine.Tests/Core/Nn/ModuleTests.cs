using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Nn;

public class ModuleTests
{
    [Test]
    public void ParameterCount_OfTheBenchmarkMlpVae_Is688464()
    {
        var vae = new Engine.Models.Vae.MlpVae(new Engine.Models.Vae.MlpVaeConfig(), new Rng(1));
        Assert.That(vae.ParameterCount(), Is.EqualTo(688_464));
    }

    [Test]
    public void ConvStack_HasPyTorchParameterCounts_AndShapes()
    {
        var rng = new Rng(2);
        var net = new Sequential(
            new Conv2d("c1", 1, 32, 3, rng, stride: 2, padding: 1),
            Activations.Relu(),
            new ConvTranspose2d("t1", 32, 16, 3, rng, stride: 2, padding: 1, outputPadding: 1),
            new BatchNorm("bn", 16));
        Assert.That(net.ParameterCount(), Is.EqualTo((32 * 9 + 32) + (32 * 16 * 9 + 16) + 32));
        var y = net.Forward(Tensor.Zeros(new Shape(2, 1, 28, 28)));
        Assert.That(y.Shape, Is.EqualTo(new Shape(2, 16, 28, 28)));
        Assert.That(net.Buffers().Count(), Is.EqualTo(2));
    }

    [Test]
    public void DenseInit_FollowsPyTorchBounds()
    {
        var dense = new Dense("d", 400, 50, new Rng(3));
        var bound = 1 / Math.Sqrt(400);
        var w = dense.Weight.ToFloatArray();
        Assert.That(w.Max(), Is.LessThanOrEqualTo(bound));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-bound));
        Assert.That(w.Max(), Is.GreaterThan(0.9 * bound));
    }

    [Test]
    public void GlorotAndHe_HaveTheirVariances()
    {
        var w = Tensor.PersistentZeros(new Shape(300, 200), DType.Float64);
        Init.GlorotUniform(w, new Rng(4));
        Assert.That(Variance(w), Is.EqualTo(2.0 / 500).Within(0.0002));
        Init.GlorotNormal(w, new Rng(5));
        Assert.That(Variance(w), Is.EqualTo(2.0 / 500).Within(0.0002));
        Init.HeNormal(w, new Rng(6));
        Assert.That(Variance(w), Is.EqualTo(2.0 / 200).Within(0.0004));
    }

    [Test]
    public void TrainAndEval_PropagateToChildren()
    {
        var bn = new BatchNorm("bn", 3);
        var net = new Sequential(new Dense("d", 3, 3, new Rng(1)), bn);
        net.Eval();
        Assert.That(bn.Training, Is.False);
        net.Train();
        Assert.That(bn.Training, Is.True);
    }

    [Test]
    public void GradCheck_DenseStack_Direction()
    {
        var rng = new Rng(9);
        var net = new Sequential(
            new Dense("a", 5, 4, rng, Activation.Tanh, dtype: DType.Float64),
            new Dense("b", 4, 3, rng, Activation.Sigmoid, dtype: DType.Float64));
        var x = Seeds.Randn(1, [6, 5], requiresGrad: false);
        GradCheck.CheckDirection(_ => net.Forward(x), net.Parameters().ToArray());
    }

    private static double Variance(Tensor t)
    {
        var v = t.ToDoubleArray();
        var mean = v.Average();
        return v.Select(x => (x - mean) * (x - mean)).Average();
    }
}
