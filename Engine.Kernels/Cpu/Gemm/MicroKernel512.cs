using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// AVX-512 register tile: Rows × 2 vectors of C (24 zmm accumulators for float, 12 × 32) stay in
/// registers for the whole k loop; per k, two vectors of the packed B strip are loaded and each
/// packed A value is broadcast into two FMAs.
/// </summary>
internal static class MicroKernel512
{
    public const int Rows = 12;

    public static int Columns<T>() => 2 * Vector512<T>.Count;

    /// <summary>C[0..Rows, 0..Columns) = α·Σ_p a[p·Rows + r]·b[p·Columns + j] + β·C (β = 0 ignores C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T>(int kc, ref T a, ref T b, ref T c, int ldc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
        Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
        Vector512<T> c40 = Vector512<T>.Zero, c41 = Vector512<T>.Zero, c50 = Vector512<T>.Zero, c51 = Vector512<T>.Zero;
        Vector512<T> c60 = Vector512<T>.Zero, c61 = Vector512<T>.Zero, c70 = Vector512<T>.Zero, c71 = Vector512<T>.Zero;
        Vector512<T> c80 = Vector512<T>.Zero, c81 = Vector512<T>.Zero, c90 = Vector512<T>.Zero, c91 = Vector512<T>.Zero;
        Vector512<T> c100 = Vector512<T>.Zero, c101 = Vector512<T>.Zero, c110 = Vector512<T>.Zero, c111 = Vector512<T>.Zero;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, width);
            var a0 = Vector512.Create(a);
            c00 = MicroKernelMath.Fma(a0, b0, c00);
            c01 = MicroKernelMath.Fma(a0, b1, c01);
            var a1 = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = MicroKernelMath.Fma(a1, b0, c10);
            c11 = MicroKernelMath.Fma(a1, b1, c11);
            var a2 = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = MicroKernelMath.Fma(a2, b0, c20);
            c21 = MicroKernelMath.Fma(a2, b1, c21);
            var a3 = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = MicroKernelMath.Fma(a3, b0, c30);
            c31 = MicroKernelMath.Fma(a3, b1, c31);
            var a4 = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = MicroKernelMath.Fma(a4, b0, c40);
            c41 = MicroKernelMath.Fma(a4, b1, c41);
            var a5 = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = MicroKernelMath.Fma(a5, b0, c50);
            c51 = MicroKernelMath.Fma(a5, b1, c51);
            var a6 = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = MicroKernelMath.Fma(a6, b0, c60);
            c61 = MicroKernelMath.Fma(a6, b1, c61);
            var a7 = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = MicroKernelMath.Fma(a7, b0, c70);
            c71 = MicroKernelMath.Fma(a7, b1, c71);
            var a8 = Vector512.Create(Unsafe.Add(ref a, 8));
            c80 = MicroKernelMath.Fma(a8, b0, c80);
            c81 = MicroKernelMath.Fma(a8, b1, c81);
            var a9 = Vector512.Create(Unsafe.Add(ref a, 9));
            c90 = MicroKernelMath.Fma(a9, b0, c90);
            c91 = MicroKernelMath.Fma(a9, b1, c91);
            var a10 = Vector512.Create(Unsafe.Add(ref a, 10));
            c100 = MicroKernelMath.Fma(a10, b0, c100);
            c101 = MicroKernelMath.Fma(a10, b1, c101);
            var a11 = Vector512.Create(Unsafe.Add(ref a, 11));
            c110 = MicroKernelMath.Fma(a11, b0, c110);
            c111 = MicroKernelMath.Fma(a11, b1, c111);
            a = ref Unsafe.Add(ref a, Rows);
            b = ref Unsafe.Add(ref b, 2 * width);
        }

        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
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
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c60, c61, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c70, c71, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c80, c81, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c90, c91, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c100, c101, va, vb, mode, width);
        c = ref Unsafe.Add(ref c, ldc);
        Store(ref c, c110, c111, va, vb, mode, width);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c, Vector512<T> x0, Vector512<T> x1, Vector512<T> alpha, Vector512<T> beta, int mode, nuint width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        x0 *= alpha;
        x1 *= alpha;
        if (mode == MicroKernelMath.Accumulate)
        {
            x0 += Vector512.LoadUnsafe(ref c);
            x1 += Vector512.LoadUnsafe(ref c, width);
        }
        else if (mode == MicroKernelMath.Scale)
        {
            x0 += beta * Vector512.LoadUnsafe(ref c);
            x1 += beta * Vector512.LoadUnsafe(ref c, width);
        }

        x0.StoreUnsafe(ref c);
        x1.StoreUnsafe(ref c, width);
    }
}
