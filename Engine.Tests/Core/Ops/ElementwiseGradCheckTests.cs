using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Core.Ops;

/// <summary>One finite-difference check per elementwise op, float64, odd shapes and broadcast axes.</summary>
public class ElementwiseGradCheckTests
{
    private static readonly int[] Odd = [3, 5];

    [Test] public void GradCheck_Add_Broadcast() => GradCheck.Check(x => Engine.Core.Ops.Add(x[0], x[1]), Seeds.Randn(1, [2, 3, 5]), Seeds.Randn(2, [3, 1]));

    [Test] public void GradCheck_Sub_Broadcast() => GradCheck.Check(x => Engine.Core.Ops.Sub(x[0], x[1]), Seeds.Randn(3, [5]), Seeds.Randn(4, [4, 1, 5]));

    [Test] public void GradCheck_Mul_Broadcast() => GradCheck.Check(x => Engine.Core.Ops.Mul(x[0], x[1]), Seeds.Randn(5, [3, 1, 7]), Seeds.Randn(6, [1, 4, 7]));

    [Test] public void GradCheck_Div_Broadcast() => GradCheck.Check(x => Engine.Core.Ops.Div(x[0], x[1]), Seeds.Randn(7, Odd), Seeds.Uniform(8, [1, 5], 0.5, 2.0));

    [Test] public void GradCheck_Neg() => GradCheck.Check(x => Engine.Core.Ops.Neg(x[0]), Seeds.Randn(9, Odd));

    [Test] public void GradCheck_Exp() => GradCheck.Check(x => Engine.Core.Ops.Exp(x[0]), Seeds.Randn(10, Odd));

    [Test] public void GradCheck_Log() => GradCheck.Check(x => Engine.Core.Ops.Log(x[0]), Seeds.Uniform(11, Odd, 0.2, 3));

    [Test] public void GradCheck_Sqrt() => GradCheck.Check(x => Engine.Core.Ops.Sqrt(x[0]), Seeds.Uniform(12, Odd, 0.2, 3));

    [Test] public void GradCheck_Square() => GradCheck.Check(x => Engine.Core.Ops.Square(x[0]), Seeds.Randn(13, Odd));

    [Test] public void GradCheck_Pow() => GradCheck.Check(x => Engine.Core.Ops.Pow(x[0], 2.7), Seeds.Uniform(14, Odd, 0.2, 3));

    [Test] public void GradCheck_Abs() => GradCheck.Check(x => Engine.Core.Ops.Abs(x[0]), Seeds.Randn(15, Odd));

    [Test] public void GradCheck_Clamp() => GradCheck.Check(x => Engine.Core.Ops.Clamp(x[0], -0.5, 0.7), Seeds.Randn(16, [4, 9]));

    [Test] public void GradCheck_Relu() => GradCheck.Check(x => Engine.Core.Ops.Relu(x[0]), Seeds.Randn(17, [4, 9]));

    [Test] public void GradCheck_LeakyRelu() => GradCheck.Check(x => Engine.Core.Ops.LeakyRelu(x[0], 0.05), Seeds.Randn(18, [4, 9]));

    [Test] public void GradCheck_Sigmoid() => GradCheck.Check(x => Engine.Core.Ops.Sigmoid(x[0]), Seeds.Randn(19, Odd, 3));

    [Test] public void GradCheck_Tanh() => GradCheck.Check(x => Engine.Core.Ops.Tanh(x[0]), Seeds.Randn(20, Odd, 2));

    [Test] public void GradCheck_Hardtanh() => GradCheck.Check(x => Engine.Core.Ops.Hardtanh(x[0], 0, 1), Seeds.Randn(21, [4, 9]));

    [Test] public void GradCheck_Softplus() => GradCheck.Check(x => Engine.Core.Ops.Softplus(x[0]), Seeds.Randn(22, Odd, 5));

    [Test] public void GradCheck_LogSigmoid() => GradCheck.Check(x => Engine.Core.Ops.LogSigmoid(x[0]), Seeds.Randn(23, Odd, 5));

    [Test] public void GradCheck_Affine() => GradCheck.Check(x => Engine.Core.Ops.Affine(x[0], -1.5, 0.25), Seeds.Randn(24, Odd));

    [Test] public void GradCheck_Mul_SameTensorTwice() => GradCheck.Check(x => Engine.Core.Ops.Mul(x[0], x[0]), Seeds.Randn(25, Odd));
}
