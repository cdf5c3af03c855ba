using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;
using O = Engine.Core.Ops;

namespace Engine.Tests.Core.Autodiff;

/// <summary>
/// An activation's backward (linear, convolution and transposed convolution with an activation, unary functions) writes
/// dy ⊙ f′ over dy when dy is its output's gradient alone (<c>Tensor.TakeOwnedGrad</c>). The gradient checks below pass
/// two layers the same upstream tensor (an add hands dy to both inputs as is), where an overwrite by the first VJP would
/// corrupt the second's; the chains check that the overwrite does happen where the gradient was handed over, and that
/// the gradients are right either way.
/// </summary>
public class InPlaceGradientTests
{
    [TestCase(Activation.Relu)]
    [TestCase(Activation.Tanh)]
    public void SharedUpstream_TwoLinearLayers_GradientsRight(Activation activation) =>
        GradCheck.Check(
            t => O.Add(O.Linear(t[0], t[1], t[2], activation), O.Linear(t[0], t[3], t[4], activation)),
            Seeds.Randn(300, [4, 6]), Seeds.Randn(301, [5, 6]), Seeds.Randn(302, [5]), Seeds.Randn(303, [5, 6]), Seeds.Randn(304, [5]));

    [Test]
    public void SharedUpstream_TwoConvolutions_GradientsRight() =>
        GradCheck.Check(
            t => O.Add(O.Conv2d(t[0], t[1], t[2], 1, 1, relu: true), O.Conv2d(t[0], t[3], t[4], 1, 1, relu: true)),
            Seeds.Randn(305, [2, 2, 5, 5]), Seeds.Randn(306, [3, 2, 3, 3]), Seeds.Randn(307, [3]), Seeds.Randn(308, [3, 2, 3, 3]), Seeds.Randn(309, [3]));

    [Test]
    public void SharedUpstream_TwoUnaryFunctions_GradientsRight() =>
        GradCheck.Check(t => O.Add(O.Tanh(t[0]), O.Sigmoid(t[0])), Seeds.Randn(310, [3, 4]));

    [Test]
    public void LinearChain_HiddenGradientTakenOver_GradientsRight()
    {
        Tensor Chain(Tensor[] t) => O.Linear(O.Linear(t[0], t[1], t[2], Activation.Relu), t[3], t[4], Activation.Tanh);
        Tensor[] inputs = [Seeds.Randn(311, [4, 6]), Seeds.Randn(312, [5, 6]), Seeds.Randn(313, [5]), Seeds.Randn(314, [3, 5]), Seeds.Randn(315, [3])];
        GradCheck.Check(Chain, inputs);
        AssertHiddenGradientTakenOver(inputs, t => O.Linear(t[0], t[1], t[2], Activation.Relu), (t, hidden) => O.Linear(hidden, t[3], t[4], Activation.Tanh));
    }

    [Test]
    public void ConvolutionChain_HiddenGradientTakenOver_GradientsRight()
    {
        Tensor[] inputs = [Seeds.Randn(316, [2, 2, 6, 6]), Seeds.Randn(317, [3, 2, 3, 3]), Seeds.Randn(318, [3]), Seeds.Randn(319, [4, 3, 3, 3]), Seeds.Randn(320, [4])];
        GradCheck.Check(t => O.Conv2d(O.Conv2d(t[0], t[1], t[2], 2, 1, relu: true), t[3], t[4], 1, 1), inputs);
        AssertHiddenGradientTakenOver(inputs, t => O.Conv2d(t[0], t[1], t[2], 2, 1, relu: true), (t, hidden) => O.Conv2d(hidden, t[3], t[4], 1, 1));
    }

    [Test]
    public void TransposedConvolutionChain_HiddenGradientTakenOver_GradientsRight()
    {
        Tensor[] inputs = [Seeds.Randn(321, [2, 3, 3, 3]), Seeds.Randn(322, [3, 2, 3, 3]), Seeds.Randn(323, [2]), Seeds.Randn(324, [2, 2, 3, 3]), Seeds.Randn(325, [2])];
        Tensor First(Tensor[] t) => O.ConvTranspose2d(t[0], t[1], t[2], 2, 1, 1, relu: true);
        Tensor Second(Tensor[] t, Tensor hidden) => O.ConvTranspose2d(hidden, t[3], t[4], 1, 1, 0);
        GradCheck.Check(t => Second(t, First(t)), inputs);
        AssertHiddenGradientTakenOver(inputs, First, Second);
    }

    /// <summary>A reshape between the layers (the conv VAE's flatten and unflatten) passes the gradient it held alone on as a view, still held alone.</summary>
    [Test]
    public void ChainThroughReshape_HiddenGradientTakenOver_GradientsRight()
    {
        Tensor[] inputs = [Seeds.Randn(327, [2, 5]), Seeds.Randn(328, [18, 5]), Seeds.Randn(329, [18]), Seeds.Randn(330, [3, 2, 3, 3]), Seeds.Randn(331, [3])];
        Tensor First(Tensor[] t) => O.Linear(t[0], t[1], t[2], Activation.Relu);
        Tensor Second(Tensor[] t, Tensor hidden) => O.Conv2d(O.Reshape(hidden, 2, 2, 3, 3), t[3], t[4], 1, 1);
        GradCheck.Check(t => Second(t, First(t)), inputs);
        AssertHiddenGradientTakenOver(inputs, First, Second);
    }

    [Test]
    public void UnaryChain_HiddenGradientTakenOver_GradientsRight()
    {
        Tensor[] inputs = [Seeds.Randn(326, [3, 4])];
        GradCheck.Check(t => O.Sigmoid(O.Tanh(t[0])), inputs);
        AssertHiddenGradientTakenOver(inputs, t => O.Tanh(t[0]), (_, hidden) => O.Sigmoid(hidden));
    }

    /// <summary>
    /// After a backward pass through first then second: the hidden tensor's gradient, handed over by second's VJP, was taken
    /// over by first's VJP (it reads null), while a second, identical pass with the hidden gradient shared by an add gives
    /// the inputs the same gradients bit for bit.
    /// </summary>
    private static void AssertHiddenGradientTakenOver(Tensor[] inputs, Func<Tensor[], Tensor> first, Func<Tensor[], Tensor, Tensor> second)
    {
        double[][] Gradients(bool share, out Tensor? hiddenGradient)
        {
            foreach (var input in inputs)
            {
                input.ZeroGrad();
            }

            using var tape = new Tape();
            var hidden = first(inputs);
            // sharing: hidden + 0, whose add hands its own upstream tensor on as is, so the first op's VJP may not overwrite it
            var feed = share ? O.Add(hidden, Tensor.Zeros(hidden.Shape, hidden.DType, hidden.Backend)) : hidden;
            var output = second(inputs, feed);
            tape.Backward(O.Sum(output));
            hiddenGradient = hidden.Grad;
            return inputs.Select(t => t.Grad!.ToDoubleArray()).ToArray();
        }

        var inPlace = Gradients(share: false, out var taken);
        var copied = Gradients(share: true, out var kept);
        Assert.That(taken, Is.Null, "the hidden gradient was handed over, so the first op's VJP takes it over");
        Assert.That(kept, Is.Not.Null, "shared by the add, the hidden gradient is left alone");
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.That(inPlace[i], Is.EqualTo(copied[i]), $"input {i}");
        }
    }
}
