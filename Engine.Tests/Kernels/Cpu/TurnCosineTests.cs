using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Operators;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary><see cref="TurnCosine"/>: accuracy against libm, and each lane a function of its own input only.</summary>
public class TurnCosineTests
{
    [Test]
    public void Cos_MatchesMathCos_WithinTwoUlpOfOne()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "needs 512-bit vectors");
        var random = new Random(11);
        var inputs = Enumerable.Range(0, 80_000).Select(_ => random.NextDouble())
            .Concat([0.0, 1e-300, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0, 0.1249999999999999, 0.2500000000000001, 0.9999999999999999]).ToArray();
        var worst = 0.0;
        for (var i = 0; i + 8 <= inputs.Length; i += 8)
        {
            var got = TurnCosine.Cos(Vector512.Create(inputs.AsSpan(i, 8)));
            for (var j = 0; j < 8; j++)
            {
                // both take the rounded 2π·u; libm and the polynomial are each within about an ulp of its cosine
                var error = Math.Abs(got[j] - Math.Cos(2 * Math.PI * inputs[i + j]));
                worst = Math.Max(worst, error);
                Assert.That(error, Is.LessThanOrEqualTo(2 * Math.Pow(2, -52)), $"cos(2π·{inputs[i + j]:R})");
            }
        }

        TestContext.Out.WriteLine($"worst absolute error {worst:E2}");
    }

    [Test]
    public void Cos_OfAValue_DoesNotDependOnItsLaneOrNeighbours()
    {
        Assume.That(Vector512.IsHardwareAccelerated, "needs 512-bit vectors");
        var random = new Random(12);
        for (var round = 0; round < 500; round++)
        {
            var values = Enumerable.Range(0, 8).Select(_ => random.NextDouble()).ToArray();
            var alone = TurnCosine.Cos(Vector512.Create(values));
            var rotated = TurnCosine.Cos(Vector512.Create(values.Skip(3).Concat(values.Take(3)).ToArray()));
            for (var j = 0; j < 8; j++)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(rotated[(j + 5) % 8]), Is.EqualTo(BitConverter.DoubleToInt64Bits(alone[j])), $"round {round}, lane {j}");
            }
        }
    }
}
