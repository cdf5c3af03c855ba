using Engine.Kernels;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// GemmBiasActivation (the bias and activation applied to each C tile after its last k block) against Gemm followed by
/// BiasActivation, bit for bit: full and edge tiles, one and several k blocks, k = 0, a k split in halves, every transpose combination, each
/// activation the epilogue takes and one it leaves to the separate pass, on two threads.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class GemmEpilogueTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static IEnumerable<(int M, int N, int K)> Shapes =>
    [
        (1024, 784, 300), // the MLP decoder's last layer: full tiles, two k blocks, split across the threads
        (37, 45, 7),      // edge tiles in both directions, one k block
        (100, 300, 600),  // three k blocks
        (5, 16, 0),       // no k terms: C = act(bias)
        (20, 100, 3136),  // split in k (SplitKGemmJob): the epilogue runs once after the halves are summed
    ];

    [Test]
    public void GemmBiasActivation_IsGemmThenBiasActivation([Values(UnaryOp.Identity, UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Sigmoid)] UnaryOp activation, [Values] bool transA, [Values] bool transB)
    {
        foreach (var (m, n, k) in Shapes)
        {
            var a = KernelBench<T>.Random(m + k, Math.Max(1, m * k));
            var b = KernelBench<T>.Random(n + k, Math.Max(1, n * k));
            var bias = KernelBench<T>.Random(n, n);
            var (lda, ldb) = (transA ? m : k, transB ? k : n);
            var (av, bv, biasView) = (Bench.View(a, 1), Bench.View(b, 2), Bench.View(bias, 3));
            var want = Bench.Output(m * n, 2);
            Backend.Gemm(transA, transB, m, n, k, 1.0, av, lda, 0, bv, ldb, 0, 0.0, want, n, 0);
            Backend.BiasActivation(want, biasView, m, n, activation, 0.1);
            var got = Bench.Output(m * n, 1);
            Backend.GemmBiasActivation(transA, transB, m, n, k, av, lda, bv, ldb, got, n, biasView, activation, 0.1);
            Assert.That(Bench.ReadGuarded(got, "c"), Is.EqualTo(Bench.Read(want)), $"{activation} {m}×{n}×{k} transA {transA} transB {transB}");
        }
    }

    [Test]
    public void StridedC_IsRejected() =>
        Assert.That(() => Backend.GemmBiasActivation(false, false, 2, 3, 4, Bench.Output(8, 0), 4, Bench.Output(12, 0), 3, Bench.Output(8, 0), 4, Bench.Output(3, 0), UnaryOp.Sigmoid, 0),
            Throws.ArgumentException.With.Message.Contains("contiguous"));

    [Test]
    public void ShortBias_IsRejected() =>
        Assert.That(() => Backend.GemmBiasActivation(false, false, 2, 3, 4, Bench.Output(8, 0), 4, Bench.Output(12, 0), 3, Bench.Output(6, 0), 3, Bench.Output(2, 0), UnaryOp.Relu, 0),
            Throws.ArgumentException.With.Message.Contains("bias"));
}
