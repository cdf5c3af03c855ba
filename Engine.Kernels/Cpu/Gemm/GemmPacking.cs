using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// Packs operands into the layout the micro-kernels stream: a strip of <c>width</c> rows of op(A)
/// (or columns of op(B)) stored k-major, dest[p·width + r], zero-padded past the matrix edge. A
/// transposed operand only changes which routine runs (a copy of contiguous runs or a transpose),
/// so all four transpose combinations reach the kernel in the same form and cost about the same.
/// </summary>
internal static class GemmPacking
{
    /// <summary>dest[p·mr + r] = op(A)[i0 + r, p0 + p] for p &lt; kc, r &lt; rows; zero for r ≥ rows.</summary>
    public static void PackA<T>(bool transA, T[] a, int aOffset, int lda, int i0, int rows, int p0, int kc, int mr, ref T dest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transA)
        {
            // stored A is [k, m]: op(A)[i, p] = a[p·lda + i], one contiguous run of rows per p
            CopyRuns(ref a[aOffset + p0 * lda + i0], lda, kc, rows, ref dest, mr);
        }
        else
        {
            // stored A is [m, k]: op(A)[i, p] = a[i·lda + p], one contiguous run of k per row
            Transpose(ref a[aOffset + i0 * lda + p0], lda, rows, kc, ref dest, mr);
        }
    }

    /// <summary>dest[p·nr + j] = op(B)[p0 + p, j0 + j] for p &lt; kc, j &lt; cols; zero for j ≥ cols.</summary>
    public static void PackB<T>(bool transB, T[] b, int bOffset, int ldb, int p0, int kc, int j0, int cols, int nr, ref T dest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transB)
        {
            // stored B is [n, k]: op(B)[p, j] = b[j·ldb + p]
            Transpose(ref b[bOffset + j0 * ldb + p0], ldb, cols, kc, ref dest, nr);
        }
        else
        {
            // stored B is [k, n]: op(B)[p, j] = b[p·ldb + j]
            CopyRuns(ref b[bOffset + p0 * ldb + j0], ldb, kc, cols, ref dest, nr);
        }
    }

    /// <summary>dest[p·width + j] = src[p·ld + j] for p &lt; count, j &lt; length; zero for j in [length, width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRuns<T>(ref T src, int ld, int count, int length, ref T dest, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w256 = Vector256.IsHardwareAccelerated ? Vector256<T>.Count : int.MaxValue;
        var w128 = Vector128.IsHardwareAccelerated ? Vector128<T>.Count : int.MaxValue;
        for (var p = 0; p < count; p++)
        {
            ref var from = ref Unsafe.Add(ref src, (nint)p * ld);
            ref var to = ref Unsafe.Add(ref dest, (nint)p * width);
            var j = 0;
            for (; j + w256 <= length; j += w256)
            {
                Vector256.LoadUnsafe(ref from, (nuint)j).StoreUnsafe(ref to, (nuint)j);
            }

            for (; j + w128 <= length; j += w128)
            {
                Vector128.LoadUnsafe(ref from, (nuint)j).StoreUnsafe(ref to, (nuint)j);
            }

            for (; j < length; j++)
            {
                Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j);
            }

            for (; j < width; j++)
            {
                Unsafe.Add(ref to, j) = T.Zero;
            }
        }
    }

    /// <summary>dest[p·width + r] = src[r·ld + p] for r &lt; rows, p &lt; count; zero for r in [rows, width).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<T>(ref T src, int ld, int rows, int count, ref T dest, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var r = 0;
        if (typeof(T) == typeof(float) && Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                Transpose4(
                    ref Unsafe.As<T, float>(ref Unsafe.Add(ref src, (nint)r * ld)), ld, count,
                    ref Unsafe.As<T, float>(ref Unsafe.Add(ref dest, r)), width);
            }
        }

        for (; r < rows; r++)
        {
            ref var from = ref Unsafe.Add(ref src, (nint)r * ld);
            for (var p = 0; p < count; p++)
            {
                Unsafe.Add(ref dest, (nint)p * width + r) = Unsafe.Add(ref from, p);
            }
        }

        for (; r < width; r++)
        {
            for (var p = 0; p < count; p++)
            {
                Unsafe.Add(ref dest, (nint)p * width + r) = T.Zero;
            }
        }
    }

    /// <summary>Four rows at a time through 4 × 4 SSE transposes: dest[p·width + r] = src[r·ld + p], r &lt; 4.</summary>
    private static void Transpose4(ref float src, int ld, int count, ref float dest, int width)
    {
        ref var s1 = ref Unsafe.Add(ref src, ld);
        ref var s2 = ref Unsafe.Add(ref src, 2 * ld);
        ref var s3 = ref Unsafe.Add(ref src, 3 * ld);
        var p = 0;
        for (; p + 4 <= count; p += 4)
        {
            var r0 = Vector128.LoadUnsafe(ref src, (nuint)p);
            var r1 = Vector128.LoadUnsafe(ref s1, (nuint)p);
            var r2 = Vector128.LoadUnsafe(ref s2, (nuint)p);
            var r3 = Vector128.LoadUnsafe(ref s3, (nuint)p);
            var t0 = Sse.UnpackLow(r0, r1);  // r0p0 r1p0 r0p1 r1p1
            var t1 = Sse.UnpackHigh(r0, r1); // r0p2 r1p2 r0p3 r1p3
            var t2 = Sse.UnpackLow(r2, r3);
            var t3 = Sse.UnpackHigh(r2, r3);
            ref var to = ref Unsafe.Add(ref dest, (nint)p * width);
            Sse.MoveLowToHigh(t0, t2).StoreUnsafe(ref to);
            Sse.MoveHighToLow(t2, t0).StoreUnsafe(ref Unsafe.Add(ref to, width));
            Sse.MoveLowToHigh(t1, t3).StoreUnsafe(ref Unsafe.Add(ref to, 2 * width));
            Sse.MoveHighToLow(t3, t1).StoreUnsafe(ref Unsafe.Add(ref to, 3 * width));
        }

        for (; p < count; p++)
        {
            ref var to = ref Unsafe.Add(ref dest, (nint)p * width);
            to = Unsafe.Add(ref src, p);
            Unsafe.Add(ref to, 1) = Unsafe.Add(ref s1, p);
            Unsafe.Add(ref to, 2) = Unsafe.Add(ref s2, p);
            Unsafe.Add(ref to, 3) = Unsafe.Add(ref s3, p);
        }
    }
}
