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
