using System.Numerics;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.Cpu.Gemm;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// CpuBackend.DenseGradients: dw = dyᵀ·x + β·dw against a float64 product (tolerance 1e-5·√rows of Σ|terms| for float32,
/// 1e-12 for float64), and db = Σ_rows dy + β·db exactly equal to the rows summed one after another in the element type,
/// which is how every route sums them (packed strips of the GEMM, the unpacked one-row and one-k routes), or, for a
/// product split in k, each half in order, added as the halves of C are. Shapes reach each route; the results are the same bits on one and two threads.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class DenseGradientsTests<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>(rows, outputs, inputs).</summary>
    public static readonly (int Rows, int Outputs, int Inputs)[] Shapes =
    [
        (100, 784, 300), // IWAE's and the MLP VAE's output layer at batch 100
        (37, 45, 23),    // edge strips of A and B
        (300, 29, 17),
        (2100, 30, 40),  // split in k (long k, small C)
        (1, 30, 40),     // one row: k = 1
        (50, 1, 40),     // one output: one row of op(A)
        (0, 5, 7),       // no rows: the sums are 0
        (7, 5, 0),       // no inputs: no dw, the sums still
    ];

    private static DType DTypeOfT => typeof(T) == typeof(float) ? DType.Float32 : DType.Float64;

    [Test]
    public void DenseGradients_MatchReferenceAndSumRowsInOrder([ValueSource(nameof(Shapes))] (int Rows, int Outputs, int Inputs) shape, [Values(0.0, 1.0, 0.5)] double beta)
    {
        var (rows, outputs, inputs) = shape;
        using var backend = new CpuBackend(2);
        var dy = Random(rows * outputs, 1);
        var x = Random(rows * inputs, 2);
        var dw0 = Random(outputs * inputs, 3);
        var db0 = Random(outputs, 4);
        var (dw, db) = Run(backend, rows, outputs, inputs, dy, x, dw0, db0, beta);

        var tolerance = typeof(T) == typeof(float) ? 1e-5 * Math.Sqrt(Math.Max(1, rows)) : 1e-12;
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                double sum = 0, scale = 0;
                for (var r = 0; r < rows; r++)
                {
                    var term = double.CreateChecked(dy[r * outputs + o]) * double.CreateChecked(x[r * inputs + i]);
                    (sum, scale) = (sum + term, scale + Math.Abs(term));
                }

                var prior = beta * double.CreateChecked(dw0[o * inputs + i]);
                Assert.That(double.CreateChecked(dw[o * inputs + i]), Is.EqualTo(sum + prior).Within(tolerance * (scale + Math.Abs(prior)) + 1e-30), $"dw[{o}, {i}]");
            }

            // a product split in k sums each half in order, the first half with β·db, then adds the second, as it does C
            var half = SplitKGemmJob<T>.Applies(outputs, inputs, rows) ? rows / 2 : rows;
            T first = T.Zero, second = T.Zero;
            for (var r = 0; r < rows; r++)
            {
                if (r < half)
                {
                    first += dy[r * outputs + o];
                }
                else
                {
                    second += dy[r * outputs + o];
                }
            }

            var expected = beta == 0 ? first : first + T.CreateChecked(beta) * db0[o];
            if (half < rows)
            {
                expected += second;
            }

            Assert.That(db[o], Is.EqualTo(expected), $"db[{o}]: the rows summed in order");
        }
    }

    [Test]
    public void DenseGradients_OneAndTwoThreads_AreBitwiseEqual([ValueSource(nameof(Shapes))] (int Rows, int Outputs, int Inputs) shape)
    {
        var (rows, outputs, inputs) = shape;
        var dy = Random(rows * outputs, 5);
        var x = Random(rows * inputs, 6);
        var dw0 = Random(outputs * inputs, 7);
        var db0 = Random(outputs, 8);
        using var one = new CpuBackend(1);
        using var two = new CpuBackend(2);
        var (dw1, db1) = Run(one, rows, outputs, inputs, dy, x, dw0, db0, 1);
        var (dw2, db2) = Run(two, rows, outputs, inputs, dy, x, dw0, db0, 1);
        Assert.That(dw2, Is.EqualTo(dw1));
        Assert.That(db2, Is.EqualTo(db1));
    }

    [Test]
    public void DenseGradients_ShortView_Throws()
    {
        using var backend = new CpuBackend(1);
        var (dy, x, dw) = (View(backend, new T[6]), View(backend, new T[8]), View(backend, new T[12]));
        var error = Assert.Throws<ArgumentException>(() => backend.DenseGradients(2, 3, 4, dy, x, 0, dw, 0, View(backend, new T[2])));
        Assert.That(error!.Message, Does.Contain("db has 2 elements, needs 3"));
        error = Assert.Throws<ArgumentException>(() => backend.DenseGradients(2, 3, 4, dy, View(backend, new T[7]), 0, dw, 0, View(backend, new T[3])));
        Assert.That(error!.Message, Does.Contain("x has 7 elements, needs 8"));
    }

    private static (T[] Dw, T[] Db) Run(CpuBackend backend, int rows, int outputs, int inputs, T[] dy, T[] x, T[] dw0, T[] db0, double beta)
    {
        var (dwView, dbView) = (View(backend, dw0), View(backend, db0));
        backend.DenseGradients(rows, outputs, inputs, View(backend, dy), View(backend, x), beta, dwView, beta, dbView);
        var (dw, db) = (new T[dw0.Length], new T[db0.Length]);
        backend.Download<T>(dwView, dw);
        backend.Download<T>(dbView, db);
        return (dw, db);
    }

    private static BufferView View(CpuBackend backend, T[] values)
    {
        var view = new BufferView(backend.Allocate(DTypeOfT, Math.Max(1, values.Length)), 0, values.Length);
        backend.Upload<T>(values, view);
        return view;
    }

    /// <summary>Uniform in [−1, 1], exactly representable in float32, from a fixed seed.</summary>
    private static T[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => T.CreateChecked((float)(2 * random.NextDouble() - 1))).ToArray();
    }
}
