using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Autodiff;

public class TapeTests
{
    [Test]
    public void XTimesX_HasGradientTwoX()
    {
        var x = Seeds.Leaf([3.0, -2.0], [2]);
        using (var tape = new Tape())
        {
            tape.Backward(Engine.Core.Ops.Sum(Engine.Core.Ops.Mul(x, x)));
        }

        Assert.That(x.Grad!.ToDoubleArray(), Is.EqualTo(new[] { 6.0, -4.0 }));
    }

    [Test]
    public void TensorUsedTwice_AccumulatesBothContributions()
    {
        var x = Seeds.Leaf([1.5], [1]);
        using (var tape = new Tape())
        {
            var y = Engine.Core.Ops.Add(Engine.Core.Ops.Exp(x), Engine.Core.Ops.Affine(x, 3));
            tape.Backward(Engine.Core.Ops.Sum(y));
        }

        Assert.That(x.Grad!.Item(), Is.EqualTo(Math.Exp(1.5) + 3).Within(1e-12));
    }

    [Test]
    public void UnusedInput_GradientStaysZero()
    {
        var used = Seeds.Leaf([1.0, 2.0], [2]);
        var unused = Seeds.Leaf([5.0, 6.0], [2]);
        using (var tape = new Tape())
        {
            tape.Backward(Engine.Core.Ops.Sum(used));
        }

        Assert.That(unused.Grad!.ToDoubleArray(), Is.EqualTo(new[] { 0.0, 0.0 }));
        Assert.That(used.Grad!.ToDoubleArray(), Is.EqualTo(new[] { 1.0, 1.0 }));
    }

    [Test]
    public void GradientsAccumulateAcrossBackwardCalls_UntilZeroed()
    {
        var x = Seeds.Leaf([2.0], [1]);
        for (var i = 0; i < 2; i++)
        {
            using var tape = new Tape();
            tape.Backward(Engine.Core.Ops.Sum(Engine.Core.Ops.Affine(x, 4)));
        }

        Assert.That(x.Grad!.Item(), Is.EqualTo(8));
        x.ZeroGrad();
        Assert.That(x.Grad!.Item(), Is.EqualTo(0));
    }

    [Test]
    public void LinearWeightGradient_WrittenInPlace_OverwritesAfterZeroGradAndAccumulatesOtherwise()
    {
        // The weight's VJP writes into the leaf's gradient buffer with β = 0 right after ZeroGrad and
        // β = 1 otherwise; the weight is used twice so both paths run within one backward.
        var x = Seeds.Randn(1, [3, 4], requiresGrad: false);
        var w = Seeds.Randn(2, [5, 4]);
        double[] OneBackward()
        {
            using var tape = new Tape();
            var y = Engine.Core.Ops.Add(Engine.Core.Ops.Linear(x, w), Engine.Core.Ops.Linear(x, w, activation: Activation.Tanh));
            tape.Backward(Engine.Core.Ops.Sum(y));
            return w.Grad!.ToDoubleArray();
        }

        w.Grad!.Fill(7); // stale values that ZeroGrad must hide
        w.ZeroGrad();
        var first = OneBackward();
        var twice = OneBackward();
        w.ZeroGrad();
        var again = OneBackward();

        Assert.That(again, Is.EqualTo(first), "after ZeroGrad the old gradient must not leak in");
        Assert.That(twice, Is.EqualTo(first.Select(v => 2 * v)).Within(1e-12), "without ZeroGrad, gradients add");
        Assert.That(first.Any(v => v != 0), Is.True);
    }

    [Test]
    public void SliceGradient_OfALeaf_ClearsTheRestAfterZeroGradAndAccumulatesOtherwise()
    {
        // A slice's VJP adds its block straight into the leaf's gradient buffer; right after ZeroGrad the rest of the
        // buffer must read 0 (the stale 7s are hidden), otherwise blocks add to what is there.
        var w = Seeds.Randn(4, [4, 3]);
        double[] OneBackward()
        {
            using var tape = new Tape();
            tape.Backward(Engine.Core.Ops.Sum(Engine.Core.Ops.Square(Engine.Core.Ops.Slice(w, 0, 1, 2))));
            return w.Grad!.ToDoubleArray();
        }

        w.Grad!.Fill(7);
        w.ZeroGrad();
        var first = OneBackward();
        var twice = OneBackward();
        var values = w.ToDoubleArray();
        var expected = values.Select((v, i) => i / 3 is 1 or 2 ? 2 * v : 0.0).ToArray();
        Assert.That(first, Is.EqualTo(expected).Within(1e-6));
        Assert.That(twice, Is.EqualTo(expected.Select(v => 2 * v)).Within(1e-6));
    }

    [Test]
    public void ZeroGrad_ThenRead_IsZeroEvenWithoutBackward()
    {
        var w = Seeds.Randn(3, [2, 2]);
        w.Grad!.Fill(5);
        w.ZeroGrad();
        Assert.That(w.Grad!.ToDoubleArray(), Is.All.EqualTo(0.0));
    }

    [Test]
    public void BackwardTwice_Throws()
    {
        var x = Seeds.Leaf([1.0], [1]);
        using var tape = new Tape();
        var y = Engine.Core.Ops.Sum(Engine.Core.Ops.Exp(x));
        tape.Backward(y);
        var ex = Assert.Throws<InvalidOperationException>(() => tape.Backward(y));
        Assert.That(ex!.Message, Does.Contain("already"));
    }

    [Test]
    public void NonScalarLoss_WithoutSeed_ThrowsNamingTheShape()
    {
        var x = Seeds.Leaf([1.0, 2.0, 3.0], [3]);
        using var tape = new Tape();
        var ex = Assert.Throws<ArgumentException>(() => tape.Backward(Engine.Core.Ops.Exp(x)));
        Assert.That(ex!.Message, Does.Contain("[3]"));
    }

    [Test]
    public void NonScalarLoss_WithSeed_UsesIt()
    {
        var x = Seeds.Leaf([1.0, 2.0], [2]);
        using (var tape = new Tape())
        {
            tape.Backward(Engine.Core.Ops.Affine(x, 2), Seeds.Leaf([10.0, 100.0], [2], requiresGrad: false));
        }

        Assert.That(x.Grad!.ToDoubleArray(), Is.EqualTo(new[] { 20.0, 200.0 }));
    }

    [Test]
    public void NoGrad_RecordsNothing()
    {
        var x = Seeds.Leaf([1.0], [1]);
        using var tape = new Tape();
        using (Tape.NoGrad())
        {
            var y = Engine.Core.Ops.Exp(x);
            Assert.That(y.RequiresGrad, Is.False);
        }

        Assert.That(tape.NodeCount, Is.Zero);
    }

    [Test]
    public void WithoutATape_NothingIsRecorded()
    {
        var x = Seeds.Leaf([1.0], [1]);
        var y = Engine.Core.Ops.Exp(x);
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.IsLeaf, Is.True);
    }

    [Test]
    public void ShapeMismatch_NamesOpAndBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Add(Seeds.Randn(1, [2, 3]), Seeds.Randn(2, [4, 3])));
        Assert.That(ex!.Message, Does.Contain("add").And.Contain("[2, 3]").And.Contain("[4, 3]"));
        ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Linear(Seeds.Randn(1, [2, 3]), Seeds.Randn(2, [4, 5])));
        Assert.That(ex!.Message, Does.Contain("linear").And.Contain("[2, 3]").And.Contain("[4, 5]"));
        ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Reshape(Seeds.Randn(1, [2, 3]), 4, 2));
        Assert.That(ex!.Message, Does.Contain("reshape").And.Contain("[2, 3]"));
    }

    [Test]
    public void DTypeMismatch_IsNamed()
    {
        var a = Tensor.Zeros(new Shape(2), Engine.Kernels.DType.Float32);
        var b = Tensor.Zeros(new Shape(2), Engine.Kernels.DType.Float64);
        var ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.Mul(a, b));
        Assert.That(ex!.Message, Does.Contain("mul").And.Contain("float32").And.Contain("float64"));
    }

    [Test]
    public void TensorUsedAfterItsScope_ThrowsClearly()
    {
        Tensor leaked;
        using (new TensorScope())
        {
            leaked = Tensor.Ones(new Shape(3));
        }

        var ex = Assert.Throws<ObjectDisposedException>(() => leaked.ToFloatArray());
        Assert.That(ex!.Message, Does.Contain("scope"));
    }

    [Test]
    public void ScopeKeep_LetsATensorSurvive()
    {
        Tensor kept;
        using (var scope = new TensorScope())
        {
            kept = scope.Keep(Tensor.Ones(new Shape(3)));
        }

        Assert.That(kept.ToFloatArray(), Is.EqualTo(new[] { 1f, 1f, 1f }));
    }

    [Test]
    public void TrainingStep_ReusesPooledBuffers_AfterWarmUp()
    {
        // Element buffers here are 256 KiB and up; a warm step must reuse them from the pool.
        var w = Seeds.Randn(5, [256, 256]);
        var x = Seeds.Randn(6, [64, 256], requiresGrad: false);
        long Step()
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            using (var tape = new Tape())
            {
                tape.Backward(Engine.Core.Ops.Sum(Engine.Core.Ops.Linear(x, w, null, Activation.Tanh)));
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Step();
        var warm = Step();
        // Only small bookkeeping objects (tensor headers, tape nodes) remain; no element buffers.
        Assert.That(warm, Is.LessThan(16 * 1024), $"{warm} bytes allocated by a warm step");
    }
}
