using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// AVX-512 register tile: TShape.Rows (up to 14) rows × TShape.Vectors (1 or 2) zmm vectors of C
/// stay in registers for the whole k loop; per k, the packed B strip's vectors are loaded once and
/// each packed A value is broadcast into one FMA per vector. The shape is a struct type argument, so
/// the JIT compiles one specialised kernel per shape with the unused rows folded away (12 × 2 uses
/// 24 of the 32 zmm registers as accumulators, 14 × 2 uses 28). C's rows are prefetched first so the
/// final read-modify-write of C does not wait on memory.
/// </summary>
internal static class MicroKernel512
{
    public const int MaxRows = 14;

    /// <summary>C[0..Rows, 0..Vectors·width) = α·Σ_p a[p·Rows + r]·b[p·Vectors·width + j] + β·C (β = 0 ignores C).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run<T, TShape>(int kc, ref T a, ref T b, ref T c, int ldc, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TShape : struct, ITileShape
    {
        var width = (nuint)Vector512<T>.Count;
        var two = TShape.Vectors == 2;
        if (Sse.IsSupported)
        {
            for (var r = 0; r < TShape.Rows; r++)
            {
                var row = (byte*)Unsafe.AsPointer(ref Unsafe.Add(ref c, r * ldc));
                Sse.Prefetch0(row);
                Sse.Prefetch0(row + 63);
                if (two)
                {
                    Sse.Prefetch0(row + 127);
                }
            }
        }

        Vector512<T> c00 = Vector512<T>.Zero, c01 = Vector512<T>.Zero, c10 = Vector512<T>.Zero, c11 = Vector512<T>.Zero;
        Vector512<T> c20 = Vector512<T>.Zero, c21 = Vector512<T>.Zero, c30 = Vector512<T>.Zero, c31 = Vector512<T>.Zero;
        Vector512<T> c40 = Vector512<T>.Zero, c41 = Vector512<T>.Zero, c50 = Vector512<T>.Zero, c51 = Vector512<T>.Zero;
        Vector512<T> c60 = Vector512<T>.Zero, c61 = Vector512<T>.Zero, c70 = Vector512<T>.Zero, c71 = Vector512<T>.Zero;
        Vector512<T> c80 = Vector512<T>.Zero, c81 = Vector512<T>.Zero, c90 = Vector512<T>.Zero, c91 = Vector512<T>.Zero;
        Vector512<T> c100 = Vector512<T>.Zero, c101 = Vector512<T>.Zero, c110 = Vector512<T>.Zero, c111 = Vector512<T>.Zero;
        Vector512<T> c120 = Vector512<T>.Zero, c121 = Vector512<T>.Zero, c130 = Vector512<T>.Zero, c131 = Vector512<T>.Zero;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = two ? Vector512.LoadUnsafe(ref b, width) : default;
            var a0 = Vector512.Create(a);
            c00 = MicroKernelMath.Fma(a0, b0, c00);
            if (two) c01 = MicroKernelMath.Fma(a0, b1, c01);
            var a1 = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = MicroKernelMath.Fma(a1, b0, c10);
            if (two) c11 = MicroKernelMath.Fma(a1, b1, c11);
            var a2 = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = MicroKernelMath.Fma(a2, b0, c20);
            if (two) c21 = MicroKernelMath.Fma(a2, b1, c21);
            var a3 = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = MicroKernelMath.Fma(a3, b0, c30);
            if (two) c31 = MicroKernelMath.Fma(a3, b1, c31);
            if (TShape.Rows > 4)
            {
                var a4 = Vector512.Create(Unsafe.Add(ref a, 4));
                c40 = MicroKernelMath.Fma(a4, b0, c40);
                if (two) c41 = MicroKernelMath.Fma(a4, b1, c41);
            }

            if (TShape.Rows > 5)
            {
                var a5 = Vector512.Create(Unsafe.Add(ref a, 5));
                c50 = MicroKernelMath.Fma(a5, b0, c50);
                if (two) c51 = MicroKernelMath.Fma(a5, b1, c51);
            }

            if (TShape.Rows > 6)
            {
                var a6 = Vector512.Create(Unsafe.Add(ref a, 6));
                c60 = MicroKernelMath.Fma(a6, b0, c60);
                if (two) c61 = MicroKernelMath.Fma(a6, b1, c61);
            }

            if (TShape.Rows > 7)
            {
                var a7 = Vector512.Create(Unsafe.Add(ref a, 7));
                c70 = MicroKernelMath.Fma(a7, b0, c70);
                if (two) c71 = MicroKernelMath.Fma(a7, b1, c71);
            }

            if (TShape.Rows > 8)
            {
                var a8 = Vector512.Create(Unsafe.Add(ref a, 8));
                c80 = MicroKernelMath.Fma(a8, b0, c80);
                if (two) c81 = MicroKernelMath.Fma(a8, b1, c81);
            }

            if (TShape.Rows > 9)
            {
                var a9 = Vector512.Create(Unsafe.Add(ref a, 9));
                c90 = MicroKernelMath.Fma(a9, b0, c90);
                if (two) c91 = MicroKernelMath.Fma(a9, b1, c91);
            }

            if (TShape.Rows > 10)
            {
                var a10 = Vector512.Create(Unsafe.Add(ref a, 10));
                c100 = MicroKernelMath.Fma(a10, b0, c100);
                if (two) c101 = MicroKernelMath.Fma(a10, b1, c101);
            }

            if (TShape.Rows > 11)
            {
                var a11 = Vector512.Create(Unsafe.Add(ref a, 11));
                c110 = MicroKernelMath.Fma(a11, b0, c110);
                if (two) c111 = MicroKernelMath.Fma(a11, b1, c111);
            }

            if (TShape.Rows > 12)
            {
                var a12 = Vector512.Create(Unsafe.Add(ref a, 12));
                c120 = MicroKernelMath.Fma(a12, b0, c120);
                if (two) c121 = MicroKernelMath.Fma(a12, b1, c121);
            }

            if (TShape.Rows > 13)
            {
                var a13 = Vector512.Create(Unsafe.Add(ref a, 13));
                c130 = MicroKernelMath.Fma(a13, b0, c130);
                if (two) c131 = MicroKernelMath.Fma(a13, b1, c131);
            }

            a = ref Unsafe.Add(ref a, TShape.Rows);
            b = ref Unsafe.Add(ref b, (nuint)TShape.Vectors * width);
        }

        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        var mode = MicroKernelMath.StoreMode(beta);
        Store<T, TShape>(ref Unsafe.Add(ref c, 0 * ldc), c00, c01, va, vb, mode);
        Store<T, TShape>(ref Unsafe.Add(ref c, 1 * ldc), c10, c11, va, vb, mode);
        Store<T, TShape>(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, va, vb, mode);
        Store<T, TShape>(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, va, vb, mode);
        if (TShape.Rows > 4) Store<T, TShape>(ref Unsafe.Add(ref c, 4 * ldc), c40, c41, va, vb, mode);
        if (TShape.Rows > 5) Store<T, TShape>(ref Unsafe.Add(ref c, 5 * ldc), c50, c51, va, vb, mode);
        if (TShape.Rows > 6) Store<T, TShape>(ref Unsafe.Add(ref c, 6 * ldc), c60, c61, va, vb, mode);
        if (TShape.Rows > 7) Store<T, TShape>(ref Unsafe.Add(ref c, 7 * ldc), c70, c71, va, vb, mode);
        if (TShape.Rows > 8) Store<T, TShape>(ref Unsafe.Add(ref c, 8 * ldc), c80, c81, va, vb, mode);
        if (TShape.Rows > 9) Store<T, TShape>(ref Unsafe.Add(ref c, 9 * ldc), c90, c91, va, vb, mode);
        if (TShape.Rows > 10) Store<T, TShape>(ref Unsafe.Add(ref c, 10 * ldc), c100, c101, va, vb, mode);
        if (TShape.Rows > 11) Store<T, TShape>(ref Unsafe.Add(ref c, 11 * ldc), c110, c111, va, vb, mode);
        if (TShape.Rows > 12) Store<T, TShape>(ref Unsafe.Add(ref c, 12 * ldc), c120, c121, va, vb, mode);
        if (TShape.Rows > 13) Store<T, TShape>(ref Unsafe.Add(ref c, 13 * ldc), c130, c131, va, vb, mode);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TShape>(ref T c, Vector512<T> x0, Vector512<T> x1, Vector512<T> alpha, Vector512<T> beta, int mode)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TShape : struct, ITileShape
    {
        var width = (nuint)Vector512<T>.Count;
        x0 *= alpha;
        if (mode == MicroKernelMath.Accumulate)
        {
            x0 += Vector512.LoadUnsafe(ref c);
        }
        else if (mode == MicroKernelMath.Scale)
        {
            x0 += beta * Vector512.LoadUnsafe(ref c);
        }

        x0.StoreUnsafe(ref c);
        if (TShape.Vectors == 2)
        {
            x1 *= alpha;
            if (mode == MicroKernelMath.Accumulate)
            {
                x1 += Vector512.LoadUnsafe(ref c, width);
            }
            else if (mode == MicroKernelMath.Scale)
            {
                x1 += beta * Vector512.LoadUnsafe(ref c, width);
            }

            x1.StoreUnsafe(ref c, width);
        }
    }
}
