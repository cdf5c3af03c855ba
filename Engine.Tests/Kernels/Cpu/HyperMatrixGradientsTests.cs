using System.Numerics;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// CpuBackend.HyperLayer and its backward for targets whose gradients the unpacked route (<see cref="HyperMatrixGradients"/>)
/// takes, and one it leaves to the GEMM steps, against float64 sums: W = U·H·V + B, dB = g, dV = (U·H)ᵀ·g, dU = g·(H·V)ᵀ and
/// dH = Σ_t Uᵀ·g·Vᵀ (tolerance 1e-5·√terms of Σ|terms| for float32, 1e-12 for float64). Shapes: HyperVAE's largest
/// (560 × 560) and its conv weights (128 × 144), rows not a multiple of the 8-row block or the 4-row tile, outer not a
/// multiple of the 5- and 10-row tiles, one row (an empty first half), and columns that are not whole vectors (the GEMM
/// steps). One and two threads give the same bits; g's subnormals count as 0 in the products and reach dB as they are.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class HyperMatrixGradientsTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>(rows, cols, inner, outer).</summary>
    public static readonly (int Rows, int Cols, int Inner, int Outer)[] Shapes =
    [
        (560, 560, 20, 20), // HyperVAE's fc.w and dec2.w
        (128, 144, 20, 20), // its conv2.w and convT1.w
        (37, 256, 3, 7),    // rows past the last whole block and tile; outer below the 10-row tile, past the 5-row one
        (13, 656, 2, 23),   // outer past two 10-row tiles and four 5-row ones; rows 41 float vectors wide (an odd one past the pairs)
        (1, 8192, 4, 1),    // one row: the first half is empty
        (100, 90, 5, 6),    // columns that are not whole vectors: the GEMM steps
    ];

    private static DType DTypeOfT => typeof(T) == typeof(float) ? DType.Float32 : DType.Float64;

    private static double Tolerance(int terms) => typeof(T) == typeof(float) ? 1e-5 * Math.Sqrt(terms) : 1e-12;

    [Test]
    public void HyperLayer_MatchesFloat64Sums([ValueSource(nameof(Shapes))] (int Rows, int Cols, int Inner, int Outer) shape)
    {
        var (rows, cols, inner, outer) = shape;
        var inputs = Inputs.Make(rows, cols, inner, outer, seed: 1);
        using var backend = new CpuBackend(2);
        var results = Run(backend, inputs, wantAll: true);

        var uh = new double[rows * outer];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outer; o++)
            {
                for (var i = 0; i < inner; i++)
                {
                    uh[r * outer + o] += D(inputs.U[r * inner + i]) * D(inputs.H[i * outer + o]);
                }
            }
        }

        // W: uh·V + B; its own sum of |terms| for the tolerance (uh is compared through it)
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                double sum = D(inputs.B[r * cols + c]), scale = Math.Abs(sum);
                for (var o = 0; o < outer; o++)
                {
                    var term = uh[r * outer + o] * D(inputs.V[o * cols + c]);
                    (sum, scale) = (sum + term, scale + Math.Abs(term));
                }

                AssertClose(results.W[r * cols + c], sum, Tolerance(outer * inner) * scale, $"W[{r}, {c}]");
            }
        }

        Assert.That(results.DB, Is.EqualTo(inputs.DW), "dB is g");
        for (var o = 0; o < outer; o++)
        {
            for (var c = 0; c < cols; c += Math.Max(1, cols / 97))
            {
                double sum = 0, scale = 0;
                for (var r = 0; r < rows; r++)
                {
                    var term = uh[r * outer + o] * D(inputs.DW[r * cols + c]);
                    (sum, scale) = (sum + term, scale + Math.Abs(term));
                }

                AssertClose(results.DV[o * cols + c], sum, Tolerance(rows * inner) * scale, $"dV[{o}, {c}]");
            }
        }

        // g·Vᵀ [rows, outer], then dU = (g·Vᵀ)·Hᵀ and dH = Uᵀ·(g·Vᵀ)
        var (gv, gvScale) = (new double[rows * outer], new double[rows * outer]);
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outer; o++)
            {
                for (var c = 0; c < cols; c++)
                {
                    var term = D(inputs.DW[r * cols + c]) * D(inputs.V[o * cols + c]);
                    gv[r * outer + o] += term;
                    gvScale[r * outer + o] += Math.Abs(term);
                }
            }
        }

        for (var r = 0; r < rows; r++)
        {
            for (var i = 0; i < inner; i++)
            {
                double sum = 0, scale = 0;
                for (var o = 0; o < outer; o++)
                {
                    var h = D(inputs.H[i * outer + o]);
                    (sum, scale) = (sum + gv[r * outer + o] * h, scale + gvScale[r * outer + o] * Math.Abs(h));
                }

                AssertClose(results.DU[r * inner + i], sum, Tolerance(cols * outer) * scale, $"dU[{r}, {i}]");
            }
        }

        for (var i = 0; i < inner; i++)
        {
            for (var o = 0; o < outer; o++)
            {
                double sum = 0, scale = 0;
                for (var r = 0; r < rows; r++)
                {
                    var u = D(inputs.U[r * inner + i]);
                    (sum, scale) = (sum + u * gv[r * outer + o], scale + Math.Abs(u) * gvScale[r * outer + o]);
                }

                AssertClose(results.DH[i * outer + o], sum, Tolerance(cols * rows) * scale, $"dH[{i}, {o}]");
            }
        }
    }

    /// <summary>The shapes reach both routes: all but the last take the unpacked one where AVX-512 is available, none without it.</summary>
    [Test]
    public void Shapes_TakeTheRouteTheyAreMeantFor()
    {
        var taken = Shapes.Select(s => HyperMatrixGradients.Applies<T>(s.Rows, s.Cols)).ToArray();
        bool[] expected = [.. Shapes.Select((_, i) => System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && i < Shapes.Length - 1)];
        Assert.That(taken, Is.EqualTo(expected));
    }

    [Test]
    public void HyperLayer_OneAndTwoThreads_AreBitwiseEqual([ValueSource(nameof(Shapes))] (int Rows, int Cols, int Inner, int Outer) shape)
    {
        var inputs = Inputs.Make(shape.Rows, shape.Cols, shape.Inner, shape.Outer, seed: 2);
        using var one = new CpuBackend(1);
        using var two = new CpuBackend(2);
        var (a, b) = (Run(one, inputs, wantAll: true), Run(two, inputs, wantAll: true));
        Assert.That(b.W, Is.EqualTo(a.W), "W");
        Assert.That(b.DV, Is.EqualTo(a.DV), "dV");
        Assert.That(b.DU, Is.EqualTo(a.DU), "dU");
        Assert.That(b.DH, Is.EqualTo(a.DH), "dH");
    }

    /// <summary>Without dB, dU and dH the route still gives dV, the same bits as with them; nothing else is written.</summary>
    [Test]
    public void HyperLayer_OnlyDv_SameAsWithEverything()
    {
        var inputs = Inputs.Make(128, 144, 20, 20, seed: 3);
        using var backend = new CpuBackend(2);
        var all = Run(backend, inputs, wantAll: true);
        var alone = Run(backend, inputs, wantAll: false);
        Assert.That(alone.DV, Is.EqualTo(all.DV));
        Assert.That(alone.DB, Is.All.EqualTo(T.CreateChecked(-7)), "dB untouched");
    }

    /// <summary>g all subnormal: dB keeps the values, every product that reads g is exactly 0 (the packed GEMM's rule).</summary>
    [Test]
    public void HyperLayer_SubnormalGradient_CountsAsZeroButReachesDb()
    {
        var inputs = Inputs.Make(128, 144, 20, 20, seed: 4);
        var tiny = T.CreateChecked(typeof(T) == typeof(float) ? 1e-40 : 1e-310);
        Assert.That(T.IsSubnormal(tiny), Is.True);
        inputs = inputs with { DW = [.. inputs.DW.Select((x, i) => i % 3 == 0 ? -tiny : tiny)] };
        using var backend = new CpuBackend(2);
        var results = Run(backend, inputs, wantAll: true);
        Assert.That(results.DB, Is.EqualTo(inputs.DW));
        Assert.That(results.DV, Is.All.EqualTo(T.Zero));
        Assert.That(results.DU, Is.All.EqualTo(T.Zero));
        Assert.That(results.DH, Is.All.EqualTo(T.Zero));
    }

    private static double D(T x) => double.CreateChecked(x);

    private static void AssertClose(T actual, double expected, double tolerance, string what) =>
        Assert.That(D(actual), Is.EqualTo(expected).Within(tolerance + 1e-30), what);

    private static Results Run(CpuBackend backend, Inputs inputs, bool wantAll)
    {
        var (rows, cols, inner, outer) = (inputs.Rows, inputs.Cols, inputs.Inner, inputs.Outer);
        var h = View(backend, inputs.H);
        var (u, v, b) = (View(backend, inputs.U), View(backend, inputs.V), View(backend, inputs.B));
        var w = View(backend, new T[rows * cols]);
        var uh = View(backend, new T[rows * outer]);
        var target = new HyperMatrix(u, v, b, w, rows, cols, UnaryOp.Identity, 0);
        backend.HyperLayer(h, inner, outer, [target], uh);

        BufferView Poisoned(int length) => View(backend, Enumerable.Repeat(T.CreateChecked(-7), length).ToArray()); // each output must be overwritten
        var (du, dv, db, dh) = (Poisoned(rows * inner), Poisoned(outer * cols), Poisoned(rows * cols), Poisoned(inner * outer));
        var gradient = new HyperMatrixGradient(View(backend, inputs.DW), wantAll ? du : null, dv, wantAll ? db : null);
        var scratch = View(backend, new T[rows * cols + rows * outer]);
        backend.HyperLayerBackward(h, inner, outer, [target], uh, [gradient], wantAll ? dh : null, scratch);
        return new Results(Download(backend, w), Download(backend, du), Download(backend, dv), Download(backend, db), Download(backend, dh));
    }

    private static BufferView View(CpuBackend backend, T[] values)
    {
        var view = new BufferView(backend.Allocate(DTypeOfT, Math.Max(1, values.Length)), 0, values.Length);
        backend.Upload<T>(values, view);
        return view;
    }

    private static T[] Download(CpuBackend backend, BufferView view)
    {
        var values = new T[view.Length];
        backend.Download<T>(view, values);
        return values;
    }

    private sealed record Results(T[] W, T[] DU, T[] DV, T[] DB, T[] DH);

    private sealed record Inputs(int Rows, int Cols, int Inner, int Outer, T[] H, T[] U, T[] V, T[] B, T[] DW)
    {
        public static Inputs Make(int rows, int cols, int inner, int outer, int seed)
        {
            var random = new Random(seed);
            T[] Values(int length) => [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked((float)(2 * random.NextDouble() - 1)))];
            return new Inputs(rows, cols, inner, outer, Values(inner * outer), Values(rows * inner), Values(outer * cols), Values(rows * cols), Values(rows * cols));
        }
    }
}
