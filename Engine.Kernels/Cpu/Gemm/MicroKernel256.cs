using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// AVX2 register tile: 6 rows × 2 vectors of C (12 ymm accumulators, 6 × 16 for float), leaving
/// room in the 16 ymm registers for the two B vectors and one broadcast.
/// </summary>
internal static class MicroKernel256
{
    public const int Rows = 6;

    public static int Columns<T>() => 2 * Vector256<T>.Count;

    /// <summary>C[0..Rows, 0..Columns) = α·Σ_p a[p·Rows + r]·b[p·Columns + j] + β·C (β = 0 ignores C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, ref T a, ref T b, ref T c, int ldc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = (nuint)Vector256<T>.Count;
        Vector256<T> c00 = Vector256<T>.Zero, c01 = Vector256<T>.Zero, c10 = Vector256<T>.Zero, c11 = Vector256<T>.Zero;
        Vector256<T> c20 = Vector256<T>.Zero, c21 = Vector256<T>.Zero, c30 = Vector256<T>.Zero, c31 = Vector256<T>.Zero;
        Vector256<T> c40 = Vector256<T>.Zero, c41 = Vector256<T>.Zero, c50 = Vector256<T>.Zero, c51 = Vector256<T>.Zero;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, width);
            var a0 = Vector256.Create(a);
            c00 = MicroKernelMath.Fma(a0, b0, c00);
            c01 = MicroKernelMath.Fma(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = MicroKernelMath.Fma(a1, b0, c10);
            c11 = MicroKernelMath.Fma(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = MicroKernelMath.Fma(a2, b0, c20);
            c21 = MicroKernelMath.Fma(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = MicroKernelMath.Fma(a3, b0, c30);
            c31 = MicroKernelMath.Fma(a3, b1, c31);
            var a4 = Vector256.Create(Unsafe.Add(ref a, 4));
            c40 = MicroKernelMath.Fma(a4, b0, c40);
            c41 = MicroKernelMath.Fma(a4, b1, c41);
            var a5 = Vector256.Create(Unsafe.Add(ref a, 5));
            c50 = MicroKernelMath.Fma(a5, b0, c50);
            c51 = MicroKernelMath.Fma(a5, b1, c51);
            a = ref Unsafe.Add(ref a, Rows);
            b = ref Unsafe.Add(ref b, 2 * width);
        }

        var va = Vector256.Create(alpha);
        var vb = Vector256.Create(beta);
        var mode = MicroKernelMath.StoreMode(beta);
        Store(ref c, c00, c01, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c10, c11, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c20, c21, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c30, c31, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c40, c41, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c50, c51, va, vb, mode, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c, Vector256<T> x0, Vector256<T> x1, Vector256<T> alpha, Vector256<T> beta, int mode, nuint width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        x0 *= alpha;
        x1 *= alpha;
        if (mode == MicroKernelMath.Accumulate)
        {
            x0 += Vector256.LoadUnsafe(ref c);
            x1 += Vector256.LoadUnsafe(ref c, width);
        }
        else if (mode == MicroKernelMath.Scale)
        {
            x0 += beta * Vector256.LoadUnsafe(ref c);
            x1 += beta * Vector256.LoadUnsafe(ref c, width);
        }

        x0.StoreUnsafe(ref c);
        x1.StoreUnsafe(ref c, width);
    }
}
