using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Operators;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The AVX-512 float32 exp and softplus against the float64 reference over its whole range: a dense sweep of [−110, 110]
/// (both sides of the √2 split in log(1 + t), t from 1 down to underflow), values near 0, and ±∞ and NaN.
/// </summary>
public class ExpLog512Tests
{
    [Test]
    public void Softplus_MatchesFloat64Reference_WithinFourUlp()
    {
        Assume.That(ExpLog512.IsSupported, "needs AVX-512");
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
            var got = ExpLog512.Softplus(Vector512.Create(inputs.GetRange(i, 16).ToArray()));
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

    /// <summary>The two-vector softplus (its steps interleaved for the scheduler) must give the single one's bits, lane for lane.</summary>
    [Test]
    public void SoftplusOfTwoVectors_IsBitForBitTheSingleOne()
    {
        Assume.That(ExpLog512.IsSupported, "needs AVX-512");
        var random = new Random(7);
        float[] specials = [0f, -0f, 1e-30f, -1e-30f, 1e-7f, -17f, 17f, 0.3465736f, -0.3465736f, 88.7f, -103.9f, 200f, -200f, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        for (var round = 0; round < 2000; round++)
        {
            var a = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 80 - 40)).ToArray();
            var b = round == 0 ? specials : Enumerable.Range(0, 16).Select(_ => (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-8, 3)))).ToArray();
            var (x0, x1) = (Vector512.Create(a), Vector512.Create(b));
            ExpLog512.Softplus(x0, x1, out var s0, out var s1);
            Assert.That(s0.AsInt32(), Is.EqualTo(ExpLog512.Softplus(x0).AsInt32()), $"first vector, round {round}");
            Assert.That(s1.AsInt32(), Is.EqualTo(ExpLog512.Softplus(x1).AsInt32()), $"second vector, round {round}");
        }
    }

    [Test]
    public void ExpOfNonPositive_MatchesMathExp_WithinTwoUlp()
    {
        Assume.That(ExpLog512.IsSupported, "needs AVX-512");
        var worst = 0.0;
        for (var start = -105.0; start <= 0; start += 16 * 0.0071)
        {
            var xs = Enumerable.Range(0, 16).Select(i => (float)Math.Min(0, start + i * 0.0071)).ToArray();
            var got = ExpLog512.ExpOfNonPositive(Vector512.Create(xs));
            for (var j = 0; j < 16; j++)
            {
                var want = Math.Exp(xs[j]);
                // below float32's smallest normal the result is a subnormal: its spacing, not want's, is the ulp
                var ulp = Math.Max(Math.Pow(2, -149), (double)MathF.BitIncrement((float)want) - (float)want);
                var error = Math.Abs(got[j] - want) / ulp;
                worst = Math.Max(worst, error);
                Assert.That(error, Is.LessThanOrEqualTo(2), $"exp({xs[j]:R}) = {got[j]:R}, want {want:R}");
            }
        }

        TestContext.Out.WriteLine($"worst error {worst:F2} ulp");
    }

    [Test]
    public void Softplus_OfInfinitiesAndNaN()
    {
        Assume.That(ExpLog512.IsSupported, "needs AVX-512");
        var got = ExpLog512.Softplus(Vector512.Create([float.PositiveInfinity, float.NegativeInfinity, float.NaN, .. Enumerable.Repeat(0f, 13)]));
        Assert.That(got[0], Is.EqualTo(float.PositiveInfinity));
        Assert.That(got[1], Is.EqualTo(0f));
        Assert.That(float.IsNaN(got[2]), Is.True);
    }
}
