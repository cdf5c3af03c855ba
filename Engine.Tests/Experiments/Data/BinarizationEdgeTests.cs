using Engine.Core;
using Engine.Experiments.Data;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class BinarizationEdgeTests
{
    [Test]
    public void Sample_SameBitsAsTheScalarComparison_IncludingOutOfRangeAndNaN()
    {
        var p = Enumerable.Range(0, 4000).Select(i => (i % 8) switch
        {
            0 => -0.5f,
            1 => 1.5f,
            2 => float.NaN,
            3 => 1f,
            4 => 0f,
            _ => (i % 97) / 96f,
        }).ToArray();
        var x = new float[p.Length];
        Binarization.Sample(p, x, new Rng(3));

        // The same uniforms, compared one by one.
        using var scope = new TensorScope();
        var u = new float[p.Length];
        var t = new Rng(3).Uniform(new Shape(p.Length));
        t.Backend.Download(t.View, u);
        var expected = p.Select((v, i) => u[i] < v ? 1f : 0f).ToArray();

        Assert.That(x.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)), "bit-identical, no −0");
    }
}
