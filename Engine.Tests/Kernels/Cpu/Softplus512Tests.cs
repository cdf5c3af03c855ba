using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Operators;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The AVX-512 float32 softplus against the float64 reference over its whole range: a dense sweep of [−110, 110]
/// (both sides of the √2 split in log(1 + t), t from 1 down to underflow), values near 0, and ±∞ and NaN.
/// </summary>
public class Softplus512Tests
{
    [Test]
    public void MatchesFloat64Reference_WithinFourUlp()
    {
        Assume.That(Softplus512.IsSupported, "needs AVX-512");
        var inputs = new List<float>();
        for (var x = -110.0; x <= 110.0; x += 0.0137)
        {
            inputs.Add((float)x);
        }

        inputs.AddRange([0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 0.3465736f, -0.3465736f, 88.7f, -88.7f, 103.9f, -103.9f, 200f, -200f]);
        while (inputs.Count % 16 != 0)
        {
            inputs.Add(0.5f);
        }

        var worst = 0.0;
        for (var i = 0; i < inputs.Count; i += 16)
        {
            var got = Softplus512.Invoke(Vector512.Create(inputs.GetRange(i, 16).ToArray()));
            for (var j = 0; j < 16; j++)
            {
                var want = ReferenceElementwise.Softplus(inputs[i + j]);
                var ulp = Math.Max(double.Epsilon, (double)MathF.BitIncrement((float)want) - (float)want);
                var error = Math.Abs(got[j] - want) / ulp;
                worst = Math.Max(worst, error);
                Assert.That(error, Is.LessThanOrEqualTo(4), $"softplus({inputs[i + j]:R}) = {got[j]:R}, want {want:R}");
            }
        }

        TestContext.Out.WriteLine($"worst error {worst:F2} ulp over {inputs.Count} inputs");
    }

    [Test]
    public void Infinities_AndNaN()
    {
        Assume.That(Softplus512.IsSupported, "needs AVX-512");
        var got = Softplus512.Invoke(Vector512.Create([float.PositiveInfinity, float.NegativeInfinity, float.NaN, .. Enumerable.Repeat(0f, 13)]));
        Assert.That(got[0], Is.EqualTo(float.PositiveInfinity));
        Assert.That(got[1], Is.EqualTo(0f));
        Assert.That(float.IsNaN(got[2]), Is.True);
    }
}
