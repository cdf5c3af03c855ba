using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Whole-buffer sums returned in float64: float32 elements are widened to float64 before they are
/// added, so a loss or gradient norm summed over many floats does not lose digits. One partial sum
/// per vector lane (the rounding depends on the vector width, never on timing).
/// </summary>
internal static class SumKernels
{
    /// <summary>Σ xᵢ.</summary>
    public static double Sum(ReadOnlySpan<float> x) => Accumulate(x, squares: false);

    /// <summary>Σ xᵢ².</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x) => Accumulate(x, squares: true);

    /// <summary>Σ xᵢ².</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x) => System.Numerics.Tensors.TensorPrimitives.SumOfSquares(x);

    private static double Accumulate(ReadOnlySpan<float> x, bool squares)
    {
        ref var xs = ref MemoryMarshal.GetReference(x);
        nuint n = (uint)x.Length, i = 0;
        var sum = 0.0;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            var acc = Vector512<double>.Zero;
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                var (lower, upper) = Vector512.Widen(Vector512.LoadUnsafe(ref xs, i));
                acc += squares ? lower * lower + upper * upper : lower + upper;
            }

            sum += Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<float>.Count)
        {
            var acc = Vector256<double>.Zero;
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref xs, i));
                acc += squares ? lower * lower + upper * upper : lower + upper;
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            double v = x[(int)i];
            sum += squares ? v * v : v;
        }

        return sum;
    }
}
