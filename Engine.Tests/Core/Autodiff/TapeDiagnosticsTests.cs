using Engine.Core;
using NUnit.Framework;

namespace Engine.Tests.Core.Autodiff;

public class TapeDiagnosticsTests
{
    [Test]
    public void DescribeFirstNonFinite_AllFinite_IsNull()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        using var tape = new Tape();
        var y = Engine.Core.Ops.Sum(Engine.Core.Ops.Square(x));
        tape.Backward(y);

        Assert.That(tape.DescribeFirstNonFinite(), Is.Null);
    }

    [Test]
    public void DescribeFirstNonFinite_NaNInForward_NamesTheFirstOpThatProducedIt()
    {
        var x = Tensor.FromArray([1f, -2f], 2);
        x.RequiresGrad = true;
        using var tape = new Tape();
        var y = Engine.Core.Ops.Sum(Engine.Core.Ops.Exp(Engine.Core.Ops.Log(x))); // log(−2) = NaN; exp and sum only pass it on

        Assert.That(tape.DescribeFirstNonFinite(), Does.StartWith("op 'log' (op 1 of 3"));
    }

    [Test]
    public void DescribeFirstNonFinite_NonFiniteLeafInput_IsNamed()
    {
        var w = Tensor.FromArray([float.PositiveInfinity, 1f], 2);
        w.Name = "decoder.bias";
        w.RequiresGrad = true;
        using var tape = new Tape();
        Engine.Core.Ops.Sum(Engine.Core.Ops.Square(w));

        Assert.That(tape.DescribeFirstNonFinite(), Does.StartWith("input 'decoder.bias' [2] of op 'square'"));
    }

    [Test]
    public void DescribeFirstNonFinite_InfiniteGradientOnly_NamesTheBackwardOp()
    {
        var x = Tensor.FromArray([0f, 4f], 2);
        x.Name = "x";
        x.RequiresGrad = true;
        using var tape = new Tape();
        var y = Engine.Core.Ops.Sum(Engine.Core.Ops.Sqrt(x)); // finite value, d√x/dx = ∞ at 0
        tape.Backward(y);

        Assert.That(tape.DescribeFirstNonFinite(), Does.StartWith("the backward of op 'sqrt' (op 1 of 2) produced a non-finite gradient for 'x'"));
    }
}
