using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

public class LinearGradCheckTests
{
    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void GradCheck_MatMul(bool transA, bool transB)
    {
        int m = 3, k = 5, n = 4;
        var a = Seeds.Randn(50, transA ? [k, m] : [m, k]);
        var b = Seeds.Randn(51, transB ? [n, k] : [k, n]);
        GradCheck.Check(x => Engine.Core.Ops.MatMul(x[0], x[1], transA, transB), a, b);
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    public void GradCheck_MatMul_Batched(bool transA, bool transB)
    {
        var a = Seeds.Randn(52, transA ? [2, 5, 3] : [2, 3, 5]);
        var b = Seeds.Randn(53, transB ? [2, 4, 5] : [2, 5, 4]);
        GradCheck.Check(x => Engine.Core.Ops.MatMul(x[0], x[1], transA, transB), a, b);
    }

    [Test] public void GradCheck_MatMul_SharedRightOperand() => GradCheck.Check(x => Engine.Core.Ops.MatMul(x[0], x[1]), Seeds.Randn(54, [2, 3, 5]), Seeds.Randn(55, [5, 4]));

    [TestCase(Activation.None)]
    [TestCase(Activation.Relu)]
    [TestCase(Activation.LeakyRelu)]
    [TestCase(Activation.Sigmoid)]
    [TestCase(Activation.Tanh)]
    public void GradCheck_Linear(Activation activation) =>
        GradCheck.Check(x => Engine.Core.Ops.Linear(x[0], x[1], x[2], activation, 0.1), Seeds.Randn(56, [5, 7]), Seeds.Randn(57, [3, 7]), Seeds.Randn(58, [3]));

    [Test] public void GradCheck_Linear_NoBias() => GradCheck.Check(x => Engine.Core.Ops.Linear(x[0], x[1]), Seeds.Randn(59, [4, 6]), Seeds.Randn(60, [5, 6]));

    [Test]
    public void MatMul_MatchesReference_OddShapes()
    {
        foreach (var (m, k, n) in new[] { (1, 1, 1), (7, 13, 19), (33, 17, 41), (100, 30, 70) })
        {
            var a = Seeds.Randn(61, [m, k], requiresGrad: false);
            var b = Seeds.Randn(62, [k, n], requiresGrad: false);
            var y = Engine.Core.Ops.MatMul(a, b).ToDoubleArray();
            var av = a.ToDoubleArray();
            var bv = b.ToDoubleArray();
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var expected = 0.0;
                    for (var p = 0; p < k; p++)
                    {
                        expected += av[i * k + p] * bv[p * n + j];
                    }

                    Assert.That(y[i * n + j], Is.EqualTo(expected).Within(1e-12), $"{m}x{k}x{n} at ({i},{j})");
                }
            }
        }
    }

    [Test]
    public void MatMul_ShapeMismatch_NamesOpAndShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Engine.Core.Ops.MatMul(Seeds.Randn(1, [2, 3]), Seeds.Randn(2, [4, 5])));
        Assert.That(ex!.Message, Does.Contain("matmul").And.Contain("[2, 3]").And.Contain("[4, 5]"));
    }
}
