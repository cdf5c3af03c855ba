using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// Portable tile for machines without 256-bit SIMD (or with hardware intrinsics switched off):
/// 4 × 4 scalar accumulators, plain multiply-add, same packed layout and store rule as the SIMD tiles.
/// </summary>
internal static class MicroKernelScalar
{
    public const int Rows = 4;

    public const int Columns = 4;

    /// <summary>C[0..4, 0..4) = α·Σ_p a[p·4 + r]·b[p·4 + j] + β·C (β = 0 ignores C).</summary>
    public static void Run<T>(int kc, ref T a, ref T b, ref T c, int ldc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> acc = stackalloc T[Rows * Columns];
        acc.Clear();
        for (var p = 0; p < kc; p++)
        {
            var b0 = b;
            var b1 = Unsafe.Add(ref b, 1);
            var b2 = Unsafe.Add(ref b, 2);
            var b3 = Unsafe.Add(ref b, 3);
            for (var r = 0; r < Rows; r++)
            {
                var x = Unsafe.Add(ref a, r);
                acc[4 * r] += x * b0;
                acc[4 * r + 1] += x * b1;
                acc[4 * r + 2] += x * b2;
                acc[4 * r + 3] += x * b3;
            }

            a = ref Unsafe.Add(ref a, Rows);
            b = ref Unsafe.Add(ref b, Columns);
        }

        var mode = MicroKernelMath.StoreMode(beta);
        for (var r = 0; r < Rows; r++)
        {
            for (var j = 0; j < Columns; j++)
            {
                ref var target = ref Unsafe.Add(ref c, r * ldc + j);
                var value = alpha * acc[4 * r + j];
                target = mode == MicroKernelMath.Overwrite ? value : mode == MicroKernelMath.Accumulate ? value + target : value + beta * target;
            }
        }
    }
}
