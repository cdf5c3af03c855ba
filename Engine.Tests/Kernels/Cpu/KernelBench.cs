using System.Numerics;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// Test bench for CPU kernel parity tests: views that start <c>offset</c> elements into their buffer
/// (so vectors straddle cache lines) with <see cref="Guard"/> sentinel elements on both sides, which
/// must be untouched after a kernel runs; random inputs from a fixed seed; and a comparison with a
/// float64 reference relative to |reference| + mean |reference| (as <see cref="BackendTwin"/>).
/// </summary>
internal sealed class KernelBench<T>(CpuBackend backend) where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int Guard = 19;

    /// <summary>Lengths 0 … 3·16 + 1: every remainder after 512-bit, 256-bit and scalar steps for float (and more for double).</summary>
    public static IEnumerable<int> AllLengths => Enumerable.Range(0, 3 * 16 + 2);

    /// <summary>Above the parallel threshold and odd, so both threads and a scalar tail run.</summary>
    public const int LargeOddLength = 3 * 32_768 + 7;

    private static readonly T Sentinel = T.CreateChecked(-7777.25);

    /// <summary>Relative tolerance: ~16 ulp in float32 (a few roundings in vector exp/log and the op), 1e-13 in float64.</summary>
    public static double Tolerance => typeof(T) == typeof(float) ? 2e-6 : 1e-13;

    public DType DType => typeof(T) == typeof(float) ? DType.Float32 : DType.Float64;

    public static T[] Random(int seed, int length, double scale = 1, double shift = 0)
    {
        var random = new System.Random(seed);
        var values = new T[length];
        for (var i = 0; i < length; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = T.CreateChecked(shift + scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    /// <summary>A view holding <paramref name="values"/> at <paramref name="offset"/> in a guarded buffer.</summary>
    public BufferView View(T[] values, int offset)
    {
        var whole = Whole(offset + values.Length + Guard);
        var data = Enumerable.Repeat(Sentinel, whole.Length).ToArray();
        values.CopyTo(data, offset);
        backend.Upload<T>(data, whole);
        return whole.Slice(offset, values.Length);
    }

    /// <summary>An output view of sentinels.</summary>
    public BufferView Output(int length, int offset) => View(Enumerable.Repeat(Sentinel, length).ToArray(), offset);

    public T[] Read(BufferView view)
    {
        var values = new T[view.Length];
        backend.Download<T>(view, values);
        return values;
    }

    /// <summary>Reads the view and asserts both guard zones still hold the sentinel.</summary>
    public T[] ReadGuarded(BufferView view, string what)
    {
        var whole = new T[view.Offset + view.Length + Guard];
        backend.Download<T>(new BufferView(view.Buffer, 0, whole.Length), whole);
        for (var i = 0; i < whole.Length; i++)
        {
            if ((i < view.Offset || i >= view.Offset + view.Length) && whole[i] != Sentinel)
            {
                Assert.Fail($"{what}: element {i - view.Offset} outside the view (length {view.Length}) was overwritten with {whole[i]}");
            }
        }

        return whole.AsSpan(view.Offset, view.Length).ToArray();
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<T> actual, string what, double? tolerance = null)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        var tol = tolerance ?? Tolerance;
        var meanAbs = 0.0;
        foreach (var e in expected)
        {
            meanAbs += double.IsFinite(e) ? Math.Abs(e) / expected.Length : 0;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            var got = double.CreateChecked(actual[i]);
            var want = expected[i];
            if (!double.IsFinite(want))
            {
                Assert.That(got, Is.EqualTo(want), $"{what}: element {i} of {expected.Length}");
                continue;
            }

            Assert.That(Math.Abs(got - want), Is.LessThanOrEqualTo(tol * (Math.Abs(want) + meanAbs)),
                $"{what}: element {i} of {expected.Length}: got {got:R}, want {want:R}");
        }
    }

    private BufferView Whole(int length) => new(backend.Allocate(DType, length), 0, length);
}
