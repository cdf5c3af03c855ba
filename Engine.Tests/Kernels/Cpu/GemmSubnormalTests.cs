using Engine.Kernels.Cpu;
using Engine.Kernels.Cpu.Gemm;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The GEMM reads subnormal operands as 0 (see GemmPacking's FlushSubnormals). Some rows of A and some columns of B are made
/// entirely subnormal: used, they would give C rows of normal values (times B's huge entries) and C columns of subnormal
/// ones; read as 0, those rows and columns of C are exactly 0, and all of C equals, bit for bit, the product of the
/// operands with those entries set to 0. On 1 and 2 threads, both precisions, every transpose.
/// </summary>
public class GemmSubnormalTests
{
    private const int M = 37, N = 45, K = 300;
    private static readonly int[] SubnormalRows = [0, 5, 36];
    private static readonly int[] SubnormalColumns = [2, 44];

    [Test]
    public void SubnormalOperands_ReadAsZero_Float([Values(false, true)] bool transA, [Values(false, true)] bool transB, [Values(1, 2)] int threads) =>
        Check(transA, transB, threads, 1e-39f, 1e30f);

    [Test]
    public void SubnormalOperands_ReadAsZero_Double([Values(false, true)] bool transA, [Values(false, true)] bool transB, [Values(1, 2)] int threads) =>
        Check(transA, transB, threads, 1e-310, 1e300);

    /// <summary>
    /// The unpacked route (one row of C, or k = 1): a subnormal of A meets a huge value of B wherever it is used, and
    /// everything else meets 0, so C is exactly 0 only if the subnormals read as 0 (used, C would be about 1e-9 or 1e-10).
    /// </summary>
    [Test]
    public void OneRowOrOneK_SubnormalOperands_ReadAsZero([Values(false, true)] bool transA, [Values(false, true)] bool transB, [Values(1, 2)] int threads)
    {
        using var workers = new WorkerPool(threads);
        foreach (var (m, k, n) in new[] { (1, 300, 45), (1, 33, 1), (37, 1, 45) })
        {
            var (a, b, c) = (new float[m * k], new float[k * n], new float[m * n]);
            int lda = transA ? m : k, ldb = transB ? k : n;
            for (var i = 0; i < m; i++)
            {
                for (var p = 0; p < k; p++)
                {
                    a[transA ? p * lda + i : i * lda + p] = (i + p) % 3 == 0 ? 1e-39f : 1f; // subnormal, or 1 where B is 0
                }
            }

            for (var p = 0; p < k; p++)
            {
                for (var j = 0; j < n; j++)
                {
                    var used = m == 1 ? p % 3 == 0 : true; // m = 1: B's row p is huge where a[0, p] is subnormal, else 0
                    b[transB ? j * ldb + p : p * ldb + j] = used ? 1e30f : 0f;
                }
            }

            if (k == 1)
            {
                // every row i with a subnormal a[i, 0] must be 0; the others are 1e30
                GemmKernel.Run(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n, workers);
                for (var i = 0; i < m; i++)
                {
                    Assert.That(c.AsSpan(i * n, n).ToArray(), Is.All.EqualTo(i % 3 == 0 ? 0f : 1e30f), $"{m}×{k}×{n}, row {i}");
                }

                continue;
            }

            GemmKernel.Run(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n, workers);
            Assert.That(c, Is.All.EqualTo(0f), $"{m}×{k}×{n}");
            Assert.That(1e-39f * 1e30f, Is.Not.EqualTo(0f), "used, the subnormals would add up to a normal number");
        }
    }

    /// <summary>A product split in k (SplitKGemmJob), whose halves pack, and so flush, their own parts of A and B.</summary>
    [Test]
    public void LongK_SubnormalOperands_ReadAsZero([Values(1, 2)] int threads)
    {
        Check(false, true, threads, 1e-39f, 1e30f, k: 2049);
        Check(false, true, threads, 1e-310, 1e300, k: 2049);
    }

    private static void Check<T>(bool transA, bool transB, int threads, T subnormal, T huge, int k = K) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.That(T.IsSubnormal(subnormal), Is.True);
        var random = new Random(11);
        T Draw() => T.CreateChecked(random.NextDouble() + 0.5);
        int lda = transA ? M : k, ldb = transB ? k : N;
        var (a, b) = (new T[M * k], new T[k * N]);
        var (aZeroed, bZeroed) = (new T[M * k], new T[k * N]);
        for (var i = 0; i < M; i++)
        {
            for (var p = 0; p < k; p++)
            {
                var at = transA ? p * lda + i : i * lda + p;
                var value = Draw();
                (a[at], aZeroed[at]) = SubnormalRows.Contains(i) ? (subnormal, T.Zero) : (value, value);
            }
        }

        for (var p = 0; p < k; p++)
        {
            for (var j = 0; j < N; j++)
            {
                var at = transB ? j * ldb + p : p * ldb + j;
                var value = Draw() * huge;
                (b[at], bZeroed[at]) = SubnormalColumns.Contains(j) ? (subnormal, T.Zero) : (value, value);
            }
        }

        using var workers = new WorkerPool(threads);
        var (c, cZeroed) = (new T[M * N], new T[M * N]);
        GemmKernel.Run(transA, transB, M, N, k, T.One, a, 0, lda, b, 0, ldb, T.Zero, c, 0, N, workers);
        GemmKernel.Run(transA, transB, M, N, k, T.One, aZeroed, 0, lda, bZeroed, 0, ldb, T.Zero, cZeroed, 0, N, workers);

        Assert.That(c, Is.EqualTo(cZeroed));
        foreach (var i in SubnormalRows)
        {
            Assert.That(c.AsSpan(i * N, N).ToArray(), Is.All.EqualTo(T.Zero), $"row {i}");
            Assert.That(subnormal * huge, Is.Not.EqualTo(T.Zero), "used, the row's products would be normal numbers");
        }

        foreach (var j in SubnormalColumns)
        {
            Assert.That(Enumerable.Range(0, M).Select(i => c[i * N + j]), Is.All.EqualTo(T.Zero), $"column {j}");
        }
    }
}
