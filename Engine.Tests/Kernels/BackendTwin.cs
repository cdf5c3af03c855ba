using Engine.Kernels;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

/// <summary>
/// Runs a kernel on two backends with the same inputs and compares the outputs: <see cref="Data"/>
/// puts identical values on both (at a non-zero offset, so view offsets are exercised), a kernel
/// is issued through <see cref="Run"/> once per backend, and <see cref="AssertClose"/> compares the
/// reference (first) backend's values with the other's and logs the largest error it saw.
/// </summary>
public sealed class BackendTwin(IBackend reference, IBackend other, DType dtype)
{
    private const int Pad = 3; // every view starts this many elements into its buffer

    public DType DType => dtype;

    /// <summary>The same values on both backends (rounded to the dtype first).</summary>
    public (BufferView Reference, BufferView Other) Data(double[] values) =>
        (Put(reference, values), Put(other, values));

    public (BufferView Reference, BufferView Other) Random(int length, int seed, double low = -1, double high = 1)
    {
        var random = new System.Random(seed);
        return Data(Enumerable.Range(0, length).Select(_ => low + (high - low) * random.NextDouble()).ToArray());
    }

    /// <summary>Output buffers pre-filled with a sentinel, so an element a kernel forgets to write shows up.</summary>
    public (BufferView Reference, BufferView Other) Output(int length, double sentinel = 12345.5) =>
        Data(Enumerable.Repeat(sentinel, length).ToArray());

    public static double[] Read(IBackend backend, BufferView view)
    {
        var result = new double[view.Length];
        if (view.DType == DType.Float64)
        {
            backend.Download<double>(view, result);
            return result;
        }

        var floats = new float[view.Length];
        backend.Download<float>(view, floats);
        for (var i = 0; i < floats.Length; i++)
        {
            result[i] = floats[i];
        }

        return result;
    }

    public void Run(Action<IBackend, Func<(BufferView Reference, BufferView Other), BufferView>> kernel)
    {
        kernel(reference, pair => pair.Reference);
        kernel(other, pair => pair.Other);
    }

    /// <summary>
    /// Asserts |r − o| ≤ rtol·(|r| + scale) elementwise, where scale is the mean |r| (so sums that
    /// cancel to near zero are judged against the size of their terms); infinities and NaN must match.
    /// Returns the largest observed |r − o| / (|r| + scale).
    /// </summary>
    public double AssertClose((BufferView Reference, BufferView Other) pair, double rtol, string what)
    {
        var expected = Read(reference, pair.Reference);
        var actual = Read(other, pair.Other);
        return AssertClose(expected, actual, rtol, what);
    }

    public static double AssertClose(double[] expected, double[] actual, double rtol, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        var finite = expected.Where(double.IsFinite).ToArray();
        var scale = finite.Length == 0 ? 0 : finite.Average(Math.Abs);
        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (!double.IsFinite(e) || !double.IsFinite(a))
            {
                Assert.That(a, Is.EqualTo(e), $"{what}[{i}]: reference {e}, other {a}");
                continue;
            }

            var error = Math.Abs(e - a) / (Math.Abs(e) + scale + double.Epsilon);
            worst = Math.Max(worst, error);
            Assert.That(error, Is.LessThanOrEqualTo(rtol), $"{what}[{i}]: reference {e:R}, other {a:R}");
        }

        TestContext.Out.WriteLine($"{what}: max relative error {worst:E2} (tolerance {rtol:E0}, {expected.Length} elements)");
        return worst;
    }

    private BufferView Put(IBackend backend, double[] values)
    {
        var view = new BufferView(backend.Allocate(dtype, values.Length + Pad), Pad, values.Length);
        if (dtype == DType.Float64)
        {
            backend.Upload<double>(values, view);
        }
        else
        {
            backend.Upload<float>(Array.ConvertAll(values, v => (float)v), view);
        }

        return view;
    }
}
