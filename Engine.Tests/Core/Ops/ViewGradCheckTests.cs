using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

public class ViewGradCheckTests
{
    [Test] public void GradCheck_Reshape() => GradCheck.Check(x => Engine.Core.Ops.Mul(Engine.Core.Ops.Reshape(x[0], 5, -1), x[1]), Seeds.Randn(40, [3, 10]), Seeds.Randn(41, [5, 6]));

    [Test] public void GradCheck_Permute() => GradCheck.Check(x => Engine.Core.Ops.Permute(x[0], 2, 0, 1), Seeds.Randn(42, [2, 3, 5]));

    [Test] public void GradCheck_Transpose() => GradCheck.Check(x => Engine.Core.Ops.Transpose(x[0]), Seeds.Randn(43, [3, 5]));

    [TestCase(0, 1, 2)]
    [TestCase(1, 2, 3)]
    [TestCase(2, 0, 1)]
    public void GradCheck_Slice(int axis, int start, int length) => GradCheck.Check(x => Engine.Core.Ops.Slice(x[0], axis, start, length), Seeds.Randn(44, [3, 5, 4]));

    /// <summary>
    /// Several overlapping slices of one intermediate and of a leaf, mixed with a whole-tensor use: the slice gradients add
    /// their blocks in place into a gradient they own, and must still sum with the other contributions in any order.
    /// </summary>
    [Test]
    public void GradCheck_ManySlicesOfOneTensor() => GradCheck.Check(x =>
    {
        var hidden = Engine.Core.Ops.Mul(x[0], x[1]); // an intermediate
        var total = Engine.Core.Ops.Sum(Engine.Core.Ops.Mul(hidden, x[1]));
        foreach (var (axis, start, length) in new[] { (1, 0, 2), (1, 1, 3), (0, 1, 2), (2, 2, 2), (1, 1, 3) })
        {
            total = Engine.Core.Ops.Add(total, Engine.Core.Ops.Sum(Engine.Core.Ops.Square(Engine.Core.Ops.Slice(hidden, axis, start, length))));
            total = Engine.Core.Ops.Add(total, Engine.Core.Ops.Sum(Engine.Core.Ops.Slice(x[0], axis, start, length)));
        }

        return total;
    }, Seeds.Randn(48, [3, 5, 4]), Seeds.Randn(49, [3, 5, 4]));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void GradCheck_Concat(int axis)
    {
        var a = Seeds.Randn(45, [2, 3, 4]);
        var b = Seeds.Randn(46, axis == 0 ? [1, 3, 4] : axis == 1 ? [2, 2, 4] : [2, 3, 3]);
        GradCheck.Check(x => Engine.Core.Ops.Concat(axis, x[0], x[1]), a, b);
    }

    [Test] public void GradCheck_IndexSelect_WithRepeats() => GradCheck.Check(x => Engine.Core.Ops.IndexSelect(x[0], 1, [3, 0, 3, 2]), Seeds.Randn(47, [2, 5, 3]));

    [Test] public void GradCheck_Copy() => GradCheck.Check(x => Engine.Core.Ops.Copy(x[0]), Seeds.Randn(48, [4]));

    [Test]
    public void Permute_MatchesReference()
    {
        var x = Seeds.Leaf(Enumerable.Range(0, 24).Select(i => (double)i).ToArray(), [2, 3, 4], requiresGrad: false);
        var y = Engine.Core.Ops.Permute(x, 2, 0, 1);
        Assert.That(y.Shape, Is.EqualTo(new Shape(4, 2, 3)));
        var values = y.ToDoubleArray();
        for (var k = 0; k < 4; k++)
        {
            for (var i = 0; i < 2; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    Assert.That(values[(k * 2 + i) * 3 + j], Is.EqualTo((i * 3 + j) * 4 + k));
                }
            }
        }
    }
}
