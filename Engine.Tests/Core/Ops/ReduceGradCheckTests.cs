using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

public class ReduceGradCheckTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void GradCheck_Sum_Axis(int axis) => GradCheck.Check(x => Engine.Core.Ops.Sum(x[0], axis), Seeds.Randn(30 + axis, [3, 4, 5]));

    [Test] public void GradCheck_Sum_All() => GradCheck.Check(x => Engine.Core.Ops.Sum(x[0]), Seeds.Randn(33, [3, 7]));

    [Test] public void GradCheck_Sum_KeepDims() => GradCheck.Check(x => Engine.Core.Ops.Sum(x[0], [0, 2], keepDims: true), Seeds.Randn(34, [3, 4, 5]));

    [TestCase(0)]
    [TestCase(-1)]
    public void GradCheck_Mean(int axis) => GradCheck.Check(x => Engine.Core.Ops.Mean(x[0], axis), Seeds.Randn(35, [3, 5]));

    [TestCase(0)]
    [TestCase(1)]
    public void GradCheck_Max(int axis) => GradCheck.Check(x => Engine.Core.Ops.Max(x[0], axis), Seeds.Randn(36, [4, 3, 5]));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void GradCheck_LogSumExp(int axis) => GradCheck.Check(x => Engine.Core.Ops.LogSumExp(x[0], axis), Seeds.Randn(37, [3, 4, 5], 3));

    [Test] public void GradCheck_LogMeanExp() => GradCheck.Check(x => Engine.Core.Ops.LogMeanExp(x[0], 1), Seeds.Randn(38, [3, 7], 3));

    [Test]
    public void LogSumExp_MatchesReference_ForLargeValues()
    {
        var x = Seeds.Leaf([1000.0, 1001, 999, -5, -6, -7], [2, 3], requiresGrad: false);
        var y = Engine.Core.Ops.LogSumExp(x, 1).ToDoubleArray();
        Assert.That(y[0], Is.EqualTo(1001 + Math.Log(Math.Exp(-1) + 1 + Math.Exp(-2))).Within(1e-12));
        Assert.That(y[1], Is.EqualTo(-5 + Math.Log(1 + Math.Exp(-1) + Math.Exp(-2))).Within(1e-12));
    }

    [Test]
    public void Max_GradientGoesToFirstMaximum_OnTies()
    {
        var x = Seeds.Leaf([2.0, 2.0, 1.0], [3]);
        using (var tape = new Tape())
        {
            tape.Backward(Engine.Core.Ops.Max(x, 0));
        }

        Assert.That(x.Grad!.ToDoubleArray(), Is.EqualTo(new[] { 1.0, 0.0, 0.0 }));
    }
}
