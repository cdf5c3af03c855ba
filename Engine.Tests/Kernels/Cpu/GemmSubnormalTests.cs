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

    private static void Check<T>(bool transA, bool transB, int threads, T subnormal, T huge) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Assert.That(T.IsSubnormal(subnormal), Is.True);
        var random = new Random(11);
        T Draw() => T.CreateChecked(random.NextDouble() + 0.5);
        int lda = transA ? M : K, ldb = transB ? K : N;
        var (a, b) = (new T[M * K], new T[K * N]);
        var (aZeroed, bZeroed) = (new T[M * K], new T[K * N]);
        for (var i = 0; i < M; i++)
        {
            for (var p = 0; p < K; p++)
            {
                var at = transA ? p * lda + i : i * lda + p;
                var value = Draw();
                (a[at], aZeroed[at]) = SubnormalRows.Contains(i) ? (subnormal, T.Zero) : (value, value);
            }
        }

        for (var p = 0; p < K; p++)
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
        GemmKernel.Run(transA, transB, M, N, K, T.One, a, 0, lda, b, 0, ldb, T.Zero, c, 0, N, workers);
        GemmKernel.Run(transA, transB, M, N, K, T.One, aZeroed, 0, lda, bZeroed, 0, ldb, T.Zero, cZeroed, 0, N, workers);

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
