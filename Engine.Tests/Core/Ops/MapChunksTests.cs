using Engine.Core;
using Engine.Tests.Support;
using NUnit.Framework;
using O = Engine.Core.Ops;

namespace Engine.Tests.Core.Ops;

/// <summary>Ops.MapChunks: without a tape, chunk by chunk with the values of one call bit for bit; under a tape, one call.</summary>
public class MapChunksTests
{
    private static Tensor Tail(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2) =>
        O.ConvTranspose2d(O.ConvTranspose2d(x, w1, b1, stride: 2, padding: 1, outputPadding: 1, relu: true), w2, b2, stride: 2, padding: 1, outputPadding: 1);

    [TestCase(7)]
    [TestCase(64)]
    [TestCase(1)]
    public void NoTape_ChunkByChunk_SameValuesAsOneCall(int chunk)
    {
        // the conv VAE decoder's transposed convolutions (float32, the CPU routes the IS-NLL evaluation takes), 23 samples
        var x = Float32(400, 23, 64, 7, 7);
        var (w1, b1, w2, b2) = (Float32(401, 64, 32, 3, 3), Float32(402, 32), Float32(403, 32, 1, 3, 3), Float32(404, 1));
        var calls = 0;
        var whole = Tail(x, w1, b1, w2, b2).ToFloatArray();
        var chunked = O.MapChunks(x, chunk, part =>
        {
            calls++;
            return Tail(part, w1, b1, w2, b2);
        });

        Assert.That(chunked.Shape, Is.EqualTo(new Shape(23, 1, 28, 28)));
        Assert.That(chunked.ToFloatArray(), Is.EqualTo(whole));
        Assert.That(calls, Is.EqualTo((23 + chunk - 1) / chunk));
    }

    [Test]
    public void UnderATape_OneCall_AndGradientsFlow()
    {
        var x = Seeds.Randn(405, [5, 3]);
        var w = Seeds.Randn(406, [2, 3]);
        var calls = 0;
        using var tape = new Tape();
        var y = O.MapChunks(x, 2, part =>
        {
            calls++;
            return O.Linear(part, w, null, Activation.Tanh);
        });
        tape.Backward(O.Sum(y));

        Assert.That(calls, Is.EqualTo(1));
        Assert.That(w.Grad!.ToDoubleArray(), Has.Some.Not.EqualTo(0.0));
    }

    private static Tensor Float32(int seed, params int[] shape)
    {
        var random = new System.Random(seed);
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return Tensor.FromArray(values, shape);
    }

    [Test]
    public void BadChunkOrRows_AreRefused()
    {
        var x = Seeds.Randn(407, [5, 3], requiresGrad: false);
        Assert.Throws<ArgumentOutOfRangeException>(() => O.MapChunks(x, 0, part => part));
        var error = Assert.Throws<ArgumentException>(() => O.MapChunks(x, 2, part => O.Sum(part, 0)));
        Assert.That(error!.Message, Does.Contain("must keep the first axis"));
    }
}
