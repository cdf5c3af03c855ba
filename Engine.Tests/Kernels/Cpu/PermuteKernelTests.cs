using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The CPU axis permutation against an index-by-index reference, on permutations that reduce to a batched transpose
/// (the blocked fast path: odd sizes, blocks cut short, the hypernetwork's filter layouts) and on ones that do not.
/// </summary>
public class PermuteKernelTests
{
    public static IEnumerable<TestCaseData> Cases =>
    [
        new TestCaseData(new[] { 32, 16, 5, 5, 32 }, new[] { 0, 1, 4, 2, 3 }).SetName("Hypernet filters to channels-first"),
        new TestCaseData(new[] { 32, 16, 32, 5, 5 }, new[] { 0, 1, 3, 4, 2 }).SetName("Hypernet filters back"),
        new TestCaseData(new[] { 3, 17, 33 }, new[] { 0, 2, 1 }).SetName("Batched, blocks cut short"),
        new TestCaseData(new[] { 37, 19 }, new[] { 1, 0 }).SetName("Single transpose"),
        new TestCaseData(new[] { 2, 3, 4 }, new[] { 2, 0, 1 }).SetName("Leading runs merged"),
        new TestCaseData(new[] { 2, 3, 4, 5 }, new[] { 3, 1, 0, 2 }).SetName("General walk"),
        new TestCaseData(new[] { 4, 3, 5 }, new[] { 1, 0, 2 }).SetName("Inner axis kept"),
        new TestCaseData(new[] { 2, 3, 4 }, new[] { 0, 1, 2 }).SetName("Identity"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Permute_MatchesIndexByIndex(int[] shape, int[] perm)
    {
        var count = shape.Aggregate(1, (p, d) => p * d);
        var x = Enumerable.Range(0, count).Select(i => (float)i).ToArray();
        var y = new float[count];
        LayoutKernels.Permute<float>(x, shape, perm, y);
        Assert.That(y, Is.EqualTo(Reference(x, shape, perm)));
    }

    public static IEnumerable<TestCaseData> ParallelCases =>
    [
        new TestCaseData(new[] { 32, 16, 5, 5, 32 }, new[] { 0, 1, 4, 2, 3 }).SetName("Parallel: hypernet filters to channels-first (25 rows)"),
        new TestCaseData(new[] { 32, 16, 32, 5, 5 }, new[] { 0, 1, 3, 4, 2 }).SetName("Parallel: hypernet filters back (32 rows, whole 16-row groups)"),
        new TestCaseData(new[] { 67, 35, 19 }, new[] { 0, 2, 1 }).SetName("Parallel: 35 rows, two 16-row groups and 3 more, odd columns"),
        new TestCaseData(new[] { 40, 48, 17 }, new[] { 0, 2, 1 }).SetName("Parallel: 48 rows, 17 columns"),
    ];

    /// <summary>
    /// The backend's overload (planes shared among threads, 16 × 16 register transposes for float32 where AVX-512 runs) against
    /// the index-by-index reference, at offsets into larger buffers, bit for bit (a subnormal, a NaN payload and −0 included),
    /// the same on 1 and 2 threads, and nothing written outside the output.
    /// </summary>
    [TestCaseSource(nameof(ParallelCases))]
    public void Permute_OnThreads_MatchesIndexByIndexBitwise(int[] shape, int[] perm)
    {
        var count = shape.Aggregate(1, (p, d) => p * d);
        var random = new Random(5);
        var values = Enumerable.Range(0, count).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        values[1] = BitConverter.Int32BitsToSingle(0x0000_0123);
        values[2] = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        values[3] = -0f;
        var expected = Reference(values, shape, perm);
        foreach (var threads in new[] { 1, 2 })
        {
            using var workers = new WorkerPool(threads);
            var x = new float[count + 7];
            values.CopyTo(x, 3);
            var y = Enumerable.Repeat(42f, count + 9).ToArray();
            LayoutKernels.Permute(x, 3, shape, perm, y, 5, count, workers);
            Assert.That(y.Skip(5).Take(count).Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)), $"{threads} threads");
            Assert.That(y.Take(5).Concat(y.Skip(5 + count)), Is.All.EqualTo(42f), $"{threads} threads: outside the output");
        }
    }

    [Test]
    public void Permute_OnThreads_BufferTooShort_Throws()
    {
        using var workers = new WorkerPool(2);
        int[] shape = [64, 32, 25];
        var x = new float[64 * 32 * 25];
        var y = new float[64 * 32 * 25 - 1];
        var error = Assert.Throws<ArgumentException>(() => LayoutKernels.Permute(x, 0, shape, [0, 2, 1], y, 0, x.Length, workers));
        Assert.That(error!.Message, Does.Contain("Permute of [64, 32, 25]"));
    }

    /// <summary>y at output index (o_0 … o_r−1) is x at the input index whose axis perm[a] is o_a.</summary>
    private static float[] Reference(float[] x, int[] shape, int[] perm)
    {
        var rank = shape.Length;
        var outShape = perm.Select(a => shape[a]).ToArray();
        var y = new float[x.Length];
        var index = new int[rank];
        for (var i = 0; i < y.Length; i++)
        {
            var rest = i;
            for (var a = rank - 1; a >= 0; a--)
            {
                index[perm[a]] = rest % outShape[a];
                rest /= outShape[a];
            }

            var at = 0;
            for (var a = 0; a < rank; a++)
            {
                at = at * shape[a] + index[a];
            }

            y[i] = x[at];
        }

        return y;
    }
}
