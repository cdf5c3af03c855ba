using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.OpenCl;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

/// <summary>
/// Every IBackend kernel on the OpenCL backend against <see cref="CpuBackend"/>, same inputs, in
/// float32 and (where the device has cl_khr_fp64) float64. Tolerances are relative to |cpu| + the
/// mean |cpu| of the output (see <see cref="BackendTwin.AssertClose(double[], double[], double, string)"/>):
/// <list type="bullet">
/// <item>float64: 1e-12 everywhere.</item>
/// <item>float32, kernels that compute each element with the CPU's formula in the CPU's order
/// (binary, copies, layout, optimisers, fused elementwise): 1e-6, i.e. a few ulp for device
/// exp/log/tanh/pow against .NET's.</item>
/// <item>float32, accumulations whose order differs from the CPU's (reductions, GEMM, conv,
/// row-reduced fused kernels): 1e-5.</item>
/// </list>
/// Skipped with a reason when no OpenCL device is found (so CI without PoCL stays green).
/// </summary>
[TestFixture(DType.Float32)]
[TestFixture(DType.Float64)]
public partial class BackendParityTests(DType dtype)
{
    private static readonly CpuBackend Cpu = new();
    private BackendTwin _twin = null!;

    private double Elementwise => dtype == DType.Float32 ? 1e-6 : 1e-12;

    private double Accumulated => dtype == DType.Float32 ? 1e-5 : 1e-12;

    [OneTimeSetUp]
    public void FindDevice()
    {
        if (OpenClDevices.Enumerate(out var reason).Count == 0)
        {
            Assert.Ignore($"no OpenCL device: {reason}");
        }

        // A device that exists but cannot run the backend (e.g. a kernel that does not build) fails.
        Assert.That(OpenClBackend.TryCreate(0, out var backend, out reason), Is.True, reason);

        if (dtype == DType.Float64 && !backend!.SupportsFloat64)
        {
            Assert.Ignore($"{backend} has no cl_khr_fp64");
        }

        TestContext.Out.WriteLine($"OpenCL device: {backend!.Device}");
        _twin = new BackendTwin(Cpu, backend!, dtype);
    }

    // ---- memory ----

    [Test]
    public void FillCopyAndBlocks_MatchCpu()
    {
        var fill = _twin.Output(37);
        var source = _twin.Random(6 * 11, 1);
        var copy = _twin.Output(6 * 11);
        var blocks = _twin.Output(4 * 9);
        var added = _twin.Random(4 * 9, 2);
        _twin.Run((backend, on) =>
        {
            backend.Fill(on(fill), -2.25);
            backend.Copy(on(source), on(copy));
            backend.CopyBlocks(on(source), 11, on(blocks), 9, 4, 7);   // 4 rows of 7 from rows of 11 into rows of 9
            backend.AddBlocks(on(source).Slice(2, 60), 11, on(added), 9, 4, 9);
        });
        _twin.AssertClose(fill, 0, "Fill");
        _twin.AssertClose(copy, 0, "Copy");
        _twin.AssertClose(blocks, 0, "CopyBlocks");
        _twin.AssertClose(added, Elementwise, "AddBlocks");
    }

    [Test]
    public void UploadDownload_RoundTrips_AndRejectTheWrongType()
    {
        var (_, view) = _twin.Random(1000, 3);
        var cl = view.Buffer.Backend;
        var back = BackendTwin.Read(cl, view);
        var (cpuView, _) = _twin.Data(back);
        Assert.That(BackendTwin.Read(Cpu, cpuView), Is.EqualTo(back));
        if (dtype == DType.Float32)
        {
            Assert.Throws<ArgumentException>(() => cl.Upload<double>(new double[1000], view));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => cl.Download<float>(view, new float[1000]));
        }
    }

    [Test]
    public void TooShortView_Throws_InsteadOfWritingPastIt()
    {
        var (_, x) = _twin.Random(100, 4);
        var (_, y) = _twin.Output(99);
        var cl = x.Buffer.Backend;
        Assert.Throws<ArgumentException>(() => cl.Unary(UnaryOp.Exp, x, y));
        Assert.Throws<ArgumentException>(() => cl.Gemm(false, false, 10, 10, 10, 1, x, 10, 0, x, 10, 0, 0, y, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cl.Gather(x, 1, 10, 10, [3, 10], x));
        Assert.Throws<ArgumentException>(() => cl.Unary(UnaryOp.Exp, x, new BufferView(Cpu.Allocate(dtype, 100), 0, 100)));
    }

    // ---- elementwise ----

    private static (double Low, double High, double P0, double P1) Domain(UnaryOp op) => op switch
    {
        UnaryOp.Log or UnaryOp.Sqrt => (0.05, 4, 0, 0),
        UnaryOp.Pow => (0.05, 3, 1.7, 0),
        UnaryOp.Clamp => (-2, 2, -0.5, 0.7),
        UnaryOp.LeakyRelu => (-3, 3, 0.1, 0),
        UnaryOp.Affine => (-3, 3, 1.5, -0.25),
        UnaryOp.Exp => (-20, 20, 0, 0),
        UnaryOp.Softplus or UnaryOp.LogSigmoid or UnaryOp.Sigmoid or UnaryOp.Tanh => (-30, 30, 0, 0),
        _ => (-3, 3, 0, 0),
    };

    [Test]
    public void Unary_EveryOp_MatchesCpu([Values] UnaryOp op)
    {
        var (low, high, p0, p1) = Domain(op);
        var x = _twin.Random(1001, 10 + (int)op, low, high);
        var y = _twin.Output(1001);
        var inPlace = _twin.Random(77, 20 + (int)op, low, high);
        _twin.Run((backend, on) =>
        {
            backend.Unary(op, on(x), on(y), p0, p1);
            backend.Unary(op, on(inPlace), on(inPlace), p0, p1);
        });
        _twin.AssertClose(y, Elementwise, $"{op}");
        _twin.AssertClose(inPlace, Elementwise, $"{op} in place");
    }

    [Test]
    public void UnaryBackward_EveryOp_MatchesCpu([Values] UnaryOp op)
    {
        var (low, high, p0, p1) = Domain(op);
        var x = _twin.Random(1001, 30 + (int)op, low, high);
        var y = _twin.Output(1001);
        var dy = _twin.Random(1001, 50 + (int)op);
        var dx = _twin.Output(1001);
        // y comes from the CPU forward on both sides, so only the backward formula is compared.
        Cpu.Unary(op, x.Reference, y.Reference, p0, p1);
        var yBoth = _twin.Data(BackendTwin.Read(Cpu, y.Reference));
        _twin.Run((backend, on) => backend.UnaryBackward(op, on(x), on(yBoth), on(dy), on(dx), p0, p1));
        _twin.AssertClose(dx, Elementwise, $"{op} backward");
    }

    /// <summary>Shapes [out], strides of a and b (0 broadcasts), and how many elements each operand holds.</summary>
    private static IEnumerable<(int[] Shape, int[] A, int[] B, int ALength, int BLength)> BroadcastCases() =>
    [
        ([3, 5, 7], [35, 7, 1], [35, 7, 1], 105, 105),      // same shape
        ([3, 5, 7], [35, 7, 1], [0, 1, 0], 105, 5),         // b [1, 5, 1]
        ([4, 5, 6], [6, 0, 1], [0, 6, 1], 24, 30),          // a [4, 1, 6] ∘ b [1, 5, 6]
        ([2, 3], [0, 0], [3, 1], 1, 6),                     // scalar ∘ matrix
        ([9], [1], [0], 9, 1),                              // vector ∘ scalar
        ([], [], [], 1, 1),                                 // rank 0
        Strided([2, 1, 3, 1, 2, 2, 1, 2, 3, 2], broadcastA: [0, 9], broadcastB: [4]), // rank 10: merged to ≤ 8 axes
        Strided([3, 4, 5, 2], broadcastA: [1, 3], broadcastB: [0, 2]),
    ];

    /// <summary>Row-major strides over <paramref name="shape"/> for operands that broadcast the given axes (stride 0, size 1).</summary>
    private static (int[], int[], int[], int, int) Strided(int[] shape, int[] broadcastA, int[] broadcastB)
    {
        (int[] Strides, int Length) Operand(int[] broadcast)
        {
            var strides = new int[shape.Length];
            var length = 1;
            for (var axis = shape.Length - 1; axis >= 0; axis--)
            {
                strides[axis] = broadcast.Contains(axis) ? 0 : length;
                length *= broadcast.Contains(axis) ? 1 : shape[axis];
            }

            return (strides, length);
        }

        var (a, aLength) = Operand(broadcastA);
        var (b, bLength) = Operand(broadcastB);
        return (shape, a, b, aLength, bLength);
    }

    [Test]
    public void Binary_Broadcasts_MatchCpu([Values] BinaryOp op)
    {
        var index = 0;
        foreach (var (shape, aStrides, bStrides, aLength, bLength) in BroadcastCases())
        {
            var count = shape.Aggregate(1, (p, d) => p * d);
            var a = _twin.Random(aLength, 60 + index, -2, 2);
            // divisors kept away from 0
            var b = _twin.Random(bLength, 70 + index, 0.5, 2);
            var y = _twin.Output(count);
            _twin.Run((backend, on) => backend.Binary(op, on(a), aStrides, on(b), bStrides, on(y), shape));
            _twin.AssertClose(y, Elementwise, $"{op} [{string.Join(",", shape)}]");
            index++;
        }
    }

    [Test]
    public void Binary_InPlaceIntoA_WithBroadcastB_MatchesCpu([Values] BinaryOp op)
    {
        // y aliases a, as Tensor.AccumulateGrad and ConvTranspose2d's bias add do
        var a = _twin.Random(4 * 6 * 5, 75, -2, 2);
        var b = _twin.Random(6, 76, 0.5, 2);
        _twin.Run((backend, on) => backend.Binary(op, on(a), [30, 5, 1], on(b), [0, 1, 0], on(a), [4, 6, 5]));
        _twin.AssertClose(a, Elementwise, $"{op} in place");
    }

    // ---- reductions ----

    private static readonly (int Outer, int N, int Inner)[] ReduceShapes =
        [(3, 17, 1), (1, 1000, 1), (2, 9, 5), (4, 3, 33), (2, 0, 1), (2, 0, 3), (5, 1, 1)];

    [Test]
    public void Reduce_EveryOpAndShape_MatchesCpu([Values] ReduceOp op)
    {
        foreach (var (outer, n, inner) in ReduceShapes)
        {
            var x = _twin.Random(outer * n * inner, 80 + n, -5, 5);
            var y = _twin.Output(outer * inner);
            _twin.Run((backend, on) => backend.Reduce(op, on(x), on(y), outer, n, inner));
            _twin.AssertClose(y, Accumulated, $"{op} [{outer},{n},{inner}]");
        }
    }

    [Test]
    public void Reduce_NonFiniteValues_MatchCpu([Values] ReduceOp op)
    {
        var x = _twin.Data([double.NegativeInfinity, double.NegativeInfinity, 1, double.PositiveInfinity, 2, 3]);
        var rows = _twin.Output(3);
        var columns = _twin.Output(2);
        _twin.Run((backend, on) =>
        {
            backend.Reduce(op, on(x), on(rows), 3, 2, 1);     // rows (−∞, −∞), (1, +∞), (2, 3)
            backend.Reduce(op, on(x), on(columns), 1, 3, 2);  // columns (−∞, 1, 2), (−∞, +∞, 3)
        });
        _twin.AssertClose(rows, Accumulated, $"{op} rows with infinities");
        _twin.AssertClose(columns, Accumulated, $"{op} columns with infinities");
    }

    [Test]
    public void ReduceBackward_EveryOpAndShape_MatchesCpu([Values] ReduceOp op)
    {
        foreach (var (outer, n, inner) in ReduceShapes)
        {
            // values rounded to halves so Max has ties (the first maximal element must win on both)
            var random = new System.Random(90 + n);
            var x = _twin.Data(Enumerable.Range(0, outer * n * inner).Select(_ => Math.Round(random.NextDouble() * 6) / 2).ToArray());
            var y = _twin.Output(outer * inner);
            Cpu.Reduce(op, x.Reference, y.Reference, outer, n, inner);
            var yBoth = _twin.Data(BackendTwin.Read(Cpu, y.Reference));
            var dy = _twin.Random(outer * inner, 91);
            var dx = _twin.Output(outer * n * inner);
            _twin.Run((backend, on) => backend.ReduceBackward(op, on(x), on(yBoth), on(dy), on(dx), outer, n, inner));
            _twin.AssertClose(dx, Elementwise, $"{op} backward [{outer},{n},{inner}]");
        }
    }

    [Test]
    public void SumSumOfSquaresAllFinite_MatchCpu()
    {
        var (cpuX, clX) = _twin.Random(100_003, 95, -1, 3);
        var cl = clX.Buffer.Backend;
        var sum = cl.Sum(clX);
        var squares = cl.SumOfSquares(clX);
        BackendTwin.AssertClose([Cpu.Sum(cpuX), Cpu.SumOfSquares(cpuX)], [sum, squares], 1e-12, "Sum, SumOfSquares (accumulated in double)");
        Assert.That(cl.AllFinite(clX), Is.True);
        Assert.That(cl.Sum(clX.Slice(0, 0)), Is.EqualTo(0));
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var values = new double[5000];
            values[4321] = bad;
            var (_, withBad) = _twin.Data(values);
            Assert.That(cl.AllFinite(withBad), Is.False, $"AllFinite misses {bad}");
            Assert.That(cl.AllFinite(withBad.Slice(0, 4321)), Is.True, "AllFinite looks past the view");
        }
    }

    // ---- layout ----

    [Test]
    public void Permute_MatchesCpu()
    {
        foreach (var (shape, perm) in new (int[], int[])[] { ([2, 3, 4, 5], [3, 1, 0, 2]), ([2, 3, 4, 5], [0, 1, 2, 3]), ([6, 7], [1, 0]), ([5], [0]) })
        {
            var count = shape.Aggregate(1, (p, d) => p * d);
            var x = _twin.Random(count, 100);
            var y = _twin.Output(count);
            _twin.Run((backend, on) => backend.Permute(on(x), shape, perm, on(y)));
            _twin.AssertClose(y, 0, $"Permute [{string.Join(",", shape)}] by ({string.Join(",", perm)})");
        }
    }

    [Test]
    public void GatherAndScatterAdd_WithRepeatedIndices_MatchCpu()
    {
        int outer = 3, n = 7, inner = 4;
        int[] indices = [6, 0, 3, 3, 1, 6, 6, 2];
        var x = _twin.Random(outer * n * inner, 110);
        var y = _twin.Output(outer * indices.Length * inner);
        var dy = _twin.Random(outer * indices.Length * inner, 111);
        var dx = _twin.Random(outer * n * inner, 112); // ScatterAdd adds into what is there
        _twin.Run((backend, on) =>
        {
            backend.Gather(on(x), outer, n, inner, indices, on(y));
            backend.ScatterAdd(on(dy), outer, n, inner, indices, on(dx));
        });
        _twin.AssertClose(y, 0, "Gather");
        _twin.AssertClose(dx, Elementwise, "ScatterAdd");
    }
}
