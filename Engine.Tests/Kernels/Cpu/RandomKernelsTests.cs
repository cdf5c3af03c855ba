using Engine.Kernels;
using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>The block-vectorised normal fill against the scalar Philox Box–Muller it replaces.</summary>
public class RandomKernelsTests
{
    [TestCase(1)]
    [TestCase(7)]
    [TestCase(513)]
    [TestCase(40_001)] // over the parallel threshold: two chunks on two threads
    public void FillNormal_Float64_MatchesScalarPhiloxNormal(int length)
    {
        using var backend = new CpuBackend(threads: 2);
        var values = Fill(backend, DType.Float64, length, seed: 99, counter: 4294967290UL); // counter + i carries into the high word
        for (var i = 0; i < length; i++)
        {
            var expected = 0.5 + 2.0 * Philox.Normal(4294967290UL + (ulong)i, 99);
            // vector log/sqrt/cos against libm: observed 1 ulp (2e-16), allowed ~5 ulps of values up to ~10
            Assert.That(values[i], Is.EqualTo(expected).Within(1e-15 * (1 + Math.Abs(expected))), $"element {i}");
        }
    }

    [TestCase(0UL, 0UL)]
    [TestCase(4294967293UL, 42UL)]            // the eight counters carry into the high word
    [TestCase(ulong.MaxValue - 3, 0xDEADBEEFCAFEUL)] // … and wrap around 2⁶⁴, as the scalar counter + i does
    public void PhiloxVector_IsBitIdenticalToTheScalarRounds(ulong counter, ulong seed)
    {
        if (!PhiloxVector.IsSupported)
        {
            Assert.Ignore("no AVX-512 here: FillNormal uses the scalar rounds");
        }

        var first = new double[8];
        var second = new double[8];
        PhiloxVector.OpenUnits8(counter, seed, ref first[0], ref second[0]);
        for (var i = 0; i < 8; i++)
        {
            var (a, b, c, d) = Philox.Block(unchecked(counter + (ulong)i), seed);
            Assert.That(first[i], Is.EqualTo(Philox.OpenUnit(a, b)), $"first, lane {i}");
            Assert.That(second[i], Is.EqualTo(Philox.OpenUnit(c, d)), $"second, lane {i}");
        }
    }

    [TestCase(DType.Float32, 40_001)]
    [TestCase(DType.Float64, 40_001)]
    [TestCase(DType.Float32, 16_391)] // chunk ends that are not multiples of the 8-element blocks
    public void FillNormal_OneOrTwoThreads_BitIdentical(DType dtype, int length)
    {
        using var one = new CpuBackend(threads: 1);
        using var two = new CpuBackend(threads: 2);
        Assert.That(Fill(two, dtype, length, 5, 1234), Is.EqualTo(Fill(one, dtype, length, 5, 1234)));
    }

    [Test]
    public void FillNormal_Float32_IsTheFloat64StreamRoundedToNearest()
    {
        using var backend = new CpuBackend(threads: 2);
        var wide = Fill(backend, DType.Float64, 20_011, 11, 77);
        var narrow = Fill(backend, DType.Float32, 20_011, 11, 77);
        Assert.That(narrow, Is.EqualTo(wide.Select(v => (double)(float)v).ToArray()));
    }

    [Test]
    public void FillNormal_Float32_HasStandardMoments()
    {
        using var backend = new CpuBackend(threads: 2);
        var values = Fill(backend, DType.Float32, 200_000, 3, 0).Select(v => (v - 0.5) / 2.0).ToArray();
        var mean = values.Average();
        var variance = values.Select(v => (v - mean) * (v - mean)).Average();
        Assert.That(mean, Is.EqualTo(0).Within(0.01)); // 5 standard errors (1/√200000 = 0.0022)
        Assert.That(variance, Is.EqualTo(1).Within(0.02)); // 6 standard errors (√(2/200000) = 0.0032)
    }

    private static double[] Fill(CpuBackend backend, DType dtype, int length, ulong seed, ulong counter)
    {
        var buffer = backend.Allocate(dtype, length);
        var view = new BufferView(buffer, 0, length);
        backend.FillNormal(view, seed, counter, 0.5, 2.0);
        var result = new double[length];
        if (dtype == DType.Float32)
        {
            var floats = new float[length];
            backend.Download<float>(view, floats);
            return Array.ConvertAll(floats, v => (double)v);
        }

        backend.Download<double>(view, result);
        return result;
    }
}
