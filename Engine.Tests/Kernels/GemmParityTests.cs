using System.Numerics;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.Cpu.Gemm;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

/// <summary>
/// GemmKernel against the float64 <see cref="ReferenceGemm"/>. Tolerance, per element of C:
/// |C − C_ref| ≤ tol · (|α|·Σ_p |op(A)[i,p]·op(B)[p,j]| + |β·C₀[i,j]|), with tol = 1e-5·√k for
/// float32 and 1e-12 for float64, i.e. relative to the magnitude the rounding error scales with
/// (a plain relative error is meaningless where the sum cancels to near zero). Inputs are uniform
/// in [−1, 1] from fixed seeds and exactly representable in float32, so both element types see the
/// same matrices. Operands are stored as sub-views (offset, leading dimension past the row length)
/// inside NaN-filled arrays, so reading or writing outside a view shows up as NaN or a changed pad.
/// </summary>
public class GemmParityTests
{
    private static readonly (double Alpha, double Beta)[] AllScalings = [(1, 0), (1, 1), (0.75, -0.5), (0, 1.5)];
    private static readonly (double Alpha, double Beta)[] LargeScalings = [(1, 0), (0.75, -0.5)];

    private readonly Dictionary<(int, int, int, bool, bool), (double[] C, double[] Scale)> _products = [];
    private WorkerPool _workers = null!;

    [OneTimeSetUp] public void StartWorkers() => _workers = new WorkerPool(2);

    [OneTimeTearDown] public void StopWorkers() => _workers.Dispose();

    /// <summary>(m, k, n): op(A) is m × k, op(B) is k × n.</summary>
    private static IEnumerable<TestCaseData> SmallShapes()
    {
        int mr = GemmKernel.TileRows, nrF = GemmKernel.TileColumns<float>(), nrD = GemmKernel.TileColumns<double>();
        int kcF = GemmKernel.MaxKBlock<float>(), kcD = GemmKernel.MaxKBlock<double>();
        (int, int, int)[] shapes =
        [
            (1, 1, 1), (7, 19, 13), (33, 41, 17), (65, 31, 129),
            (1, 37, 45), (1, 16, 16), (1, 5, 1), (37, 1, 45), (1, 1, 33), (20, 1, 1), // one row of C, or k = 1 (ThinGemm)
            (mr - 1, kcD - 1, nrF + 1), (mr, kcD, nrF), (mr + 1, kcD + 1, nrF - 1),
            (mr - 1, kcF + 1, nrD - 1), (mr + 1, kcF, nrD + 1), (2 * mr - 1, kcF - 1, nrD), (2 * mr + 1, 2 * kcF + 1, 2 * nrF + 1),
        ];
        foreach (var (m, k, n) in shapes.Distinct())
        {
            foreach (var (transA, transB) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                yield return new TestCaseData(m, k, n, transA, transB).SetArgDisplayNames($"{m}x{k}x{n}", Op(transA, transB));
            }
        }
    }

    private static IEnumerable<TestCaseData> LargeShapes()
    {
        // the last two are split in k (SplitKGemmJob): the conv VAE's dense layer and an odd k with edge tiles
        // then HyperVAE's hyper-encoder on one image (ThinGemm): its dense layer, and the outer product and row of its backward
        foreach (var (m, k, n) in new[] { (100, 784, 300), (100, 300, 784), (100, 300, 300), (257, 1025, 130), (100, 3136, 100), (13, 2049, 41), (1, 3136, 100), (100, 1, 3136), (1, 100, 3136) })
        {
            foreach (var (transA, transB) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                yield return new TestCaseData(m, k, n, transA, transB).SetArgDisplayNames($"{m}x{k}x{n}", Op(transA, transB));
            }
        }
    }

    [TestCaseSource(nameof(SmallShapes))]
    public void Run_OddAndEdgeShapes_MatchesReference(int m, int k, int n, bool transA, bool transB)
    {
        foreach (var (alpha, beta) in AllScalings)
        {
            Check<float>(m, k, n, transA, transB, alpha, beta, padded: true);
            Check<double>(m, k, n, transA, transB, alpha, beta, padded: true);
        }

        Check<float>(m, k, n, transA, transB, 1, 0, padded: false);
    }

    [TestCaseSource(nameof(LargeShapes))]
    public void Run_RealisticShapes_MatchesReference(int m, int k, int n, bool transA, bool transB)
    {
        foreach (var (alpha, beta) in LargeScalings)
        {
            Check<float>(m, k, n, transA, transB, alpha, beta, padded: m > 200);
        }

        Check<double>(m, k, n, transA, transB, 1, 0, padded: m > 200);
    }

    /// <summary>
    /// m = 1…30 makes the per-call tile-height choice visit every AVX-512 tile (4 to 14 rows), full and
    /// partial; n = 9, 40, 53 give a single narrow strip, full strips with a narrow edge, and a
    /// full-width edge (for float; double's strips are half as wide).
    /// </summary>
    [Test]
    public void Run_EveryTileHeightAndEdge_MatchesReference()
    {
        for (var m = 1; m <= 30; m++)
        {
            foreach (var n in new[] { 9, 40, 53 })
            {
                Check<float>(m, 37, n, false, false, 1, 0, padded: true);
                Check<float>(m, 37, n, true, true, 0.75, -0.5, padded: true);
                Check<double>(m, 37, n, false, true, 1, 1, padded: true);
            }
        }
    }

    [TestCase(300, 784)]
    [TestCase(3136, 100)] // split in k
    public void Run_AfterWarmUp_AllocatesNothing(int k, int n)
    {
        const int m = 100;
        var a = Operand<float>(7, m * k, 0, 0);
        var b = Operand<float>(8, k * n, 0, 0);
        var c = new float[m * n];
        foreach (var workers in new[] { null, _workers })
        {
            // Warm up both calls: their pack buffers differ in size, and one that grows allocates once.
            GemmKernel.Run(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n, workers);
            GemmKernel.Run(true, false, m, n, k, 1f, a, 0, m, b, 0, n, 0.5f, c, 0, n, workers);
            var before = GC.GetAllocatedBytesForCurrentThread();
            GemmKernel.Run(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n, workers);
            GemmKernel.Run(true, false, m, n, k, 1f, a, 0, m, b, 0, n, 0.5f, c, 0, n, workers);
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, workers is null ? "one thread" : "two threads");
        }
    }

    [Test]
    public void Run_BetaZero_IgnoresNaNInC()
    {
        var a = Operand<float>(1, 3 * 4, 0, 0);
        var b = Operand<float>(2, 4 * 5, 0, 0);
        var c = Enumerable.Repeat(float.NaN, 3 * 5).ToArray();
        GemmKernel.Run(false, false, 3, 5, 4, 1f, a, 0, 4, b, 0, 5, 0f, c, 0, 5, _workers);
        Assert.That(c, Has.All.Not.NaN);
    }

    [TestCase(100, 784, 300, false, false)]
    [TestCase(257, 1025, 130, true, true)]
    [TestCase(300, 300, 100, false, true)]
    public void Gemm_TwoThreadBackend_SameInputsTwiceAreBitwiseEqual(int m, int k, int n, bool transA, bool transB)
    {
        using var backend = new CpuBackend(2);
        var first = BackendGemm(backend, m, k, n, transA, transB);
        var second = BackendGemm(backend, m, k, n, transA, transB);
        Assert.That(second, Is.EqualTo(first).AsCollection);
    }

    [TestCase(100, 300, 784, false)]
    [TestCase(257, 1025, 130, false)]
    [TestCase(100, 3136, 100, false)]
    [TestCase(100, 3136, 100, true)] // split in k, B transposed as in a dense layer's forward
    [TestCase(13, 2049, 41, true)]
    public void Run_OneOrTwoThreads_AreBitwiseEqual(int m, int k, int n, bool transB)
    {
        var a = Operand<float>(3, m * k, 0, 0);
        var b = Operand<float>(4, k * n, 0, 0);
        var one = new float[m * n];
        var two = new float[m * n];
        var ldb = transB ? k : n;
        GemmKernel.Run(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, one, 0, n, null);
        GemmKernel.Run(false, transB, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, two, 0, n, _workers);
        Assert.That(two, Is.EqualTo(one).AsCollection);
    }

    /// <summary>The unpacked route for one row of C or k = 1 (ThinGemm): the same bits on one thread and two, and nothing allocated after warm-up.</summary>
    [TestCase(1, 3136, 100)]
    [TestCase(1, 100, 3136)]
    [TestCase(100, 1, 3136)]
    [TestCase(1, 1, 4099)]
    public void Run_OneRowOrOneK_OneOrTwoThreadsBitwiseEqual_NoAllocation(int m, int k, int n)
    {
        foreach (var (transA, transB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            int lda = transA ? m : k, ldb = transB ? k : n;
            var a = Operand<float>(5, m * k, 0, 0);
            var b = Operand<float>(6, k * n, 0, 0);
            var one = new float[m * n];
            var two = new float[m * n];
            GemmKernel.Run(transA, transB, m, n, k, 0.5f, a, 0, lda, b, 0, ldb, 0f, one, 0, n, null);
            GemmKernel.Run(transA, transB, m, n, k, 0.5f, a, 0, lda, b, 0, ldb, 0f, two, 0, n, _workers);
            Assert.That(two, Is.EqualTo(one).AsCollection, $"transA {transA}, transB {transB}");
            var before = GC.GetAllocatedBytesForCurrentThread();
            GemmKernel.Run(transA, transB, m, n, k, 0.5f, a, 0, lda, b, 0, ldb, 1f, two, 0, n, _workers);
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, $"transA {transA}, transB {transB}");
        }
    }

    private void Check<T>(int m, int k, int n, bool transA, bool transB, double alpha, double beta, bool padded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // stored A is [m, k] (or [k, m] when transposed); pads put every view at an offset with ld > row length
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int pad = padded ? 3 : 0, offset = padded ? 5 : 0;
        int lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        var a = View<T>(10 + m, aRows, aCols, lda, offset);
        var b = View<T>(20 + n, bRows, bCols, ldb, offset);
        var c = View<T>(30 + k, m, n, ldc, offset);
        if (beta == 0)
        {
            Fill(c, offset, m, n, ldc, T.NaN);
        }

        // α·Σ op(A)·op(B) + β·C₀ from one reference product per case (float and double operands hold the same values)
        var key = (m, k, n, transA, transB);
        if (!_products.TryGetValue(key, out var product))
        {
            product = ReferenceGemm.Run(transA, transB, m, n, k, 1, a, offset, lda, b, offset, ldb, 0, c, offset, ldc);
            _products[key] = product;
        }

        var before = (T[])c.Clone();
        GemmKernel.Run(transA, transB, m, n, k, T.CreateChecked(alpha), a, offset, lda, b, offset, ldb, T.CreateChecked(beta), c, offset, ldc, _workers);

        var tol = typeof(T) == typeof(float) ? 1e-5 * Math.Sqrt(k) : 1e-12;
        for (var i = 0; i < c.Length; i++)
        {
            var (row, col) = Math.DivRem(i - offset, ldc);
            var inView = i >= offset && row < m && col < n;
            if (!inView)
            {
                Assert.That(T.IsNaN(c[i]) && T.IsNaN(before[i]), $"element {i} outside the view of C was written");
                continue;
            }

            var actual = double.CreateChecked(c[i]);
            var old = beta == 0 ? 0 : double.CreateChecked(before[i]);
            var want = alpha * product.C[row * n + col] + beta * old;
            var bound = tol * (Math.Abs(alpha) * product.Scale[row * n + col] + Math.Abs(beta * old)) + double.Epsilon;
            if (!(Math.Abs(actual - want) <= bound))
            {
                Assert.Fail($"{typeof(T).Name} {m}x{k}x{n} {Op(transA, transB)} α={alpha} β={beta}: C[{row},{col}] = {actual}, reference {want}, bound {bound:E2}");
            }
        }
    }

    private static float[] BackendGemm(IBackend backend, int m, int k, int n, bool transA, bool transB)
    {
        var a = backend.Allocate(DType.Float32, m * k);
        var b = backend.Allocate(DType.Float32, k * n);
        var c = backend.Allocate(DType.Float32, m * n);
        backend.Upload<float>(Operand<float>(5, m * k, 0, 0), new BufferView(a, 0, m * k));
        backend.Upload<float>(Operand<float>(6, k * n, 0, 0), new BufferView(b, 0, k * n));
        backend.Gemm(transA, transB, m, n, k, 1, new BufferView(a, 0, m * k), transA ? m : k, 0, new BufferView(b, 0, k * n), transB ? k : n, 0, 0, new BufferView(c, 0, m * n), n, 0);
        var result = new float[m * n];
        backend.Download<float>(new BufferView(c, 0, m * n), result);
        return result;
    }

    /// <summary>A rows × cols view with row stride ld at offset inside a NaN-filled array with a NaN tail.</summary>
    private static T[] View<T>(int seed, int rows, int cols, int ld, int offset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = Operand<T>(seed, rows * cols, 0, 0);
        var array = Enumerable.Repeat(T.NaN, offset + (rows - 1) * ld + cols + 7).ToArray();
        for (var r = 0; r < rows; r++)
        {
            Array.Copy(values, r * cols, array, offset + r * ld, cols);
        }

        return array;
    }

    private static void Fill<T>(T[] array, int offset, int rows, int cols, int ld, T value)
    {
        for (var r = 0; r < rows; r++)
        {
            Array.Fill(array, value, offset + r * ld, cols);
        }
    }

    /// <summary>Uniform [−1, 1] values rounded to float32, so float and double operands hold the same numbers.</summary>
    private static T[] Operand<T>(int seed, int length, int offset, int pad) where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[offset + length + pad];
        for (var i = 0; i < length; i++)
        {
            values[offset + i] = T.CreateChecked((float)(2 * random.NextDouble() - 1));
        }

        return values;
    }

    private static string Op(bool transA, bool transB) => (transA ? "Aᵀ" : "A") + (transB ? "Bᵀ" : "B");
}
