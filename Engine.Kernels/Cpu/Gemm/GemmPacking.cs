using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// Packs operands into the layout the micro-kernels stream: a strip of <c>width</c> rows of op(A)
/// (or columns of op(B)) stored k-major, dest[p·width + r], zero-padded past the matrix edge. A
/// transposed operand only changes which routine runs (a copy of contiguous runs or a transpose),
/// so all four transpose combinations reach the kernel in the same form and cost about the same.
/// </summary>
/// <remarks>
/// Packed operands read as 0 where they are subnormal, as x86's denormals-are-zero mode would (.NET cannot set it).
/// Why: each FMA with a subnormal operand takes a microcode assist. Training on the IWAE benchmark produced subnormal
/// gradients of the tanh layers after ~50 steps, and the step went from 75 ms to 220 ms. A value below 2⁻¹²⁶ (float)
/// changes no product by more than that. Every packing routine flushes the values in registers
/// (<see cref="VectorMath.FlushSubnormal{T}(Vector512{T})"/>) just before it stores them. Before, each routine ran a pass
/// of its own over the block it had just written, still in L1: 5.5 % of the MLP VAE step's samples under <c>perf</c>.
/// </remarks>
internal static class GemmPacking
{
    /// <summary>
    /// Packs op(A)[strips s0 .. s1, all k] (strip s = rows [s·mr, s·mr + mr) of m): strip s at
    /// dest + (s − s0)·mr·k, laid out dest[p·mr + r], zero for rows ≥ m.
    /// </summary>
    public static void PackA<T>(bool transA, T[] a, int aOffset, int lda, int m, int k, int s0, int s1, int mr, ref T dest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!transA)
        {
            // stored A is [m, k]: op(A)[i, p] = a[i·lda + p], each strip a transpose of mr stored rows
            for (var s = s0; s < s1; s++)
            {
                var i0 = s * mr;
                Transpose(ref a[aOffset + i0 * lda], lda, Math.Min(mr, m - i0), k, ref Unsafe.Add(ref dest, (s - s0) * mr * k), mr);
            }

            return;
        }

        // stored A is [k, m]: op(A)[i, p] = a[p·lda + i], each strip a run of mr per stored row
        CopyStrips(ref a[aOffset], lda, k, m, s0, s1, mr, narrowEdge: false, ref dest, mr * k);
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0 + kc, strips t0 .. t1) (strip t = columns [t·nr, t·nr + nr) of n):
    /// strip t at dest + (t − t0)·kc·nr, laid out dest[p·width + j], zero for columns ≥ n, where
    /// width = nr, or nr / 2 for a last strip of at most nr / 2 columns when <paramref name="narrowEdge"/>.
    /// </summary>
    public static void PackB<T>(bool transB, T[] b, int bOffset, int ldb, int n, int p0, int kc, int t0, int t1, int nr, bool narrowEdge, ref T dest)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (transB)
        {
            // stored B is [n, k]: op(B)[p, j] = b[j·ldb + p], each strip a transpose of nr stored rows
            for (var t = t0; t < t1; t++)
            {
                var j0 = t * nr;
                var cols = Math.Min(nr, n - j0);
                Transpose(ref b[bOffset + j0 * ldb + p0], ldb, cols, kc, ref Unsafe.Add(ref dest, (t - t0) * kc * nr), Width(cols, nr, narrowEdge));
            }

            return;
        }

        // stored B is [k, n]: op(B)[p, j] = b[p·ldb + j], each strip a run of nr per stored row
        CopyStrips(ref b[bOffset + p0 * ldb], ldb, kc, n, t0, t1, nr, narrowEdge, ref dest, kc * nr);
    }

    /// <summary>
    /// Prefetches what <see cref="PackB{T}"/> reads for strips [t0, t1) of the k block [p0, p0 + kc): for a thread to call
    /// before the multiply that precedes that packing, so the packing finds its operand in cache.
    /// </summary>
    public static void PrefetchB<T>(bool transB, T[] b, int bOffset, int ldb, int n, int p0, int kc, int t0, int t1, int nr) where T : unmanaged
    {
        var (j0, j1) = (t0 * nr, Math.Min(n, t1 * nr));
        if (j0 >= j1)
        {
            return;
        }

        if (transB)
        {
            for (var j = j0; j < j1; j++)
            {
                Prefetch.Slice<T>(b.AsSpan(bOffset + j * ldb + p0, kc), 0, 1);
            }

            return;
        }

        for (var p = p0; p < p0 + kc; p++)
        {
            Prefetch.Slice<T>(b.AsSpan(bOffset + p * ldb + j0, j1 - j0), 0, 1);
        }
    }

    private static int Width(int cols, int nr, bool narrowEdge) => narrowEdge && cols <= nr / 2 ? nr / 2 : nr;

    /// <summary>
    /// Strips s0 .. s1 of a row-major [count, length] source (row stride ld), strip s = columns
    /// [s·width, s·width + width): strip s at dest + (s − s0)·slot, laid out [p·w + j] with w = width
    /// (or width / 2 for a narrow last strip), zero past <paramref name="length"/>. Eight source rows at
    /// a time, so they stay in L1 while each strip receives one sequential run.
    /// </summary>
    private static void CopyStrips<T>(ref T src, int ld, int count, int length, int s0, int s1, int width, bool narrowEdge, ref T dest, int slot)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rowBlock = 8;
        var complete = Math.Clamp(length / width, s0, s1);
        for (var pb = 0; pb < count; pb += rowBlock)
        {
            var pEnd = Math.Min(count, pb + rowBlock);
            for (var s = s0; s < complete; s++)
            {
                ref var from = ref Unsafe.Add(ref src, s * width);
                ref var to = ref Unsafe.Add(ref dest, (nint)(s - s0) * slot);
                for (var p = pb; p < pEnd; p++)
                {
                    CopyStrip(ref Unsafe.Add(ref from, (nint)p * ld), ref Unsafe.Add(ref to, p * width), width);
                }
            }

            for (var s = complete; s < s1; s++)
            {
                var j0 = s * width;
                var cols = Math.Min(width, length - j0);
                var w = Width(cols, width, narrowEdge);
                ref var to = ref Unsafe.Add(ref dest, (nint)(s - s0) * slot);
                for (var p = pb; p < pEnd; p++)
                {
                    CopyRun(ref Unsafe.Add(ref src, (nint)p * ld + j0), cols, ref Unsafe.Add(ref to, p * w), w);
                }
            }
        }
    }

    /// <summary>
    /// to[j] = from[j] (subnormals flushed) for j &lt; width: two vectors of the narrowest size that covers the run, the
    /// second one ending at the run's end (they overlap when width is not twice the vector length).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyStrip<T>(ref T from, ref T to, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && width > Vector256<T>.Count * 2 && width <= Vector512<T>.Count * 2)
        {
            var last = (nuint)(width - Vector512<T>.Count);
            var head = VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref from));
            var tail = VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref from, last));
            head.StoreUnsafe(ref to);
            tail.StoreUnsafe(ref to, last);
        }
        else if (Vector256.IsHardwareAccelerated && width > Vector128<T>.Count * 2 && width <= Vector256<T>.Count * 2)
        {
            var last = (nuint)(width - Vector256<T>.Count);
            var head = VectorMath.FlushSubnormal(Vector256.LoadUnsafe(ref from));
            var tail = VectorMath.FlushSubnormal(Vector256.LoadUnsafe(ref from, last));
            head.StoreUnsafe(ref to);
            tail.StoreUnsafe(ref to, last);
        }
        else if (Vector128.IsHardwareAccelerated && width > Vector128<T>.Count && width <= Vector128<T>.Count * 2)
        {
            var last = (nuint)(width - Vector128<T>.Count);
            var head = VectorMath.FlushSubnormal(Vector128.LoadUnsafe(ref from));
            var tail = VectorMath.FlushSubnormal(Vector128.LoadUnsafe(ref from, last));
            head.StoreUnsafe(ref to);
            tail.StoreUnsafe(ref to, last);
        }
        else
        {
            CopyRun(ref from, width, ref to, width);
        }
    }

    /// <summary>to[j] = from[j] (subnormals flushed) for j &lt; length, zero for j in [length, width): widest vectors first, one of each narrower width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(ref T from, int length, ref T to, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; j + Vector512<T>.Count <= length; j += Vector512<T>.Count)
            {
                VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref from, (nuint)j)).StoreUnsafe(ref to, (nuint)j);
            }
        }

        if (Vector256.IsHardwareAccelerated && j + Vector256<T>.Count <= length)
        {
            VectorMath.FlushSubnormal(Vector256.LoadUnsafe(ref from, (nuint)j)).StoreUnsafe(ref to, (nuint)j);
            j += Vector256<T>.Count;
        }

        if (Vector128.IsHardwareAccelerated && j + Vector128<T>.Count <= length)
        {
            VectorMath.FlushSubnormal(Vector128.LoadUnsafe(ref from, (nuint)j)).StoreUnsafe(ref to, (nuint)j);
            j += Vector128<T>.Count;
        }

        for (; j < length; j++)
        {
            Unsafe.Add(ref to, j) = VectorMath.FlushSubnormal(Unsafe.Add(ref from, j));
        }

        for (; j < width; j++)
        {
            Unsafe.Add(ref to, j) = T.Zero;
        }
    }

    /// <summary>
    /// dest[p·width + r] = src[r·ld + p] (subnormals flushed) for r &lt; rows, p &lt; count; zero for r in [rows, width).
    /// Works through k in chunks so the destination rows being filled stay in L1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<T>(ref T src, int ld, int rows, int count, ref T dest, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int chunk = 64;
        for (var p0 = 0; p0 < count; p0 += chunk)
        {
            var length = Math.Min(chunk, count - p0);
            ref var from = ref Unsafe.Add(ref src, p0);
            ref var to = ref Unsafe.Add(ref dest, (nint)p0 * width);
            var r = 0;
            if (typeof(T) == typeof(float) && Sse.IsSupported)
            {
                for (; Avx512F.IsSupported && r + 16 <= rows; r += 16)
                {
                    Transpose16(
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, (nint)r * ld)), ld, length,
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref to, r)), width, flushSubnormals: true);
                }

                for (; Avx.IsSupported && r + 8 <= rows; r += 8)
                {
                    Transpose8(
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, (nint)r * ld)), ld, length,
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref to, r)), width);
                }

                for (; r + 4 <= rows; r += 4)
                {
                    Transpose4(
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, (nint)r * ld)), ld, length,
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref to, r)), width, flushSubnormals: true);
                }

                for (; r + 2 <= rows; r += 2)
                {
                    Transpose2(
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, (nint)r * ld)), ld, length,
                        ref Unsafe.As<T, float>(ref Unsafe.Add(ref to, r)), width);
                }
            }

            for (; r < rows; r++)
            {
                ref var line = ref Unsafe.Add(ref from, (nint)r * ld);
                for (var p = 0; p < length; p++)
                {
                    Unsafe.Add(ref to, (nint)p * width + r) = VectorMath.FlushSubnormal(Unsafe.Add(ref line, p));
                }
            }

            for (; r < width; r++)
            {
                for (var p = 0; p < length; p++)
                {
                    Unsafe.Add(ref to, (nint)p * width + r) = T.Zero;
                }
            }
        }
    }

    /// <summary>
    /// Sixteen rows: dest[p·width + r] = src[r·ld + p], r &lt; 16, as 16 × 16 register transposes (unpack, shuffle,
    /// then a 4 × 4 transpose of the 128-bit lanes), one 512-bit store per p: a quarter of the stores of four
    /// <see cref="Transpose4"/> calls, whose 128-bit stores bounded the packing of transposed operands (im2col
    /// columns in the weight gradients, Wᵀ in every linear layer). The last count mod 16 values of p go to
    /// <see cref="Transpose4"/>. The convolutions' layout changes and the permutes call it too, without
    /// <paramref name="flushSubnormals"/>: they move values, bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose16(ref float src, int ld, int count, ref float dest, int width, bool flushSubnormals = false)
    {
        var w = (nint)width;
        var p = 0;
        Span<Vector512<float>> u = stackalloc Vector512<float>[16];
        for (; p + 16 <= count; p += 16)
        {
            for (var g = 0; g < 4; g++)
            {
                ref var row = ref Unsafe.Add(ref src, (nint)(4 * g) * ld + p);
                var r0 = Vector512.LoadUnsafe(ref row);
                var r1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref row, ld));
                var r2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref row, 2 * (nint)ld));
                var r3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref row, 3 * (nint)ld));
                if (flushSubnormals)
                {
                    (r0, r1, r2, r3) = (VectorMath.FlushSubnormal(r0), VectorMath.FlushSubnormal(r1), VectorMath.FlushSubnormal(r2), VectorMath.FlushSubnormal(r3));
                }

                var t0 = Avx512F.UnpackLow(r0, r1);  // per lane L: r0,r1 at p + 4L, then at p + 4L + 1
                var t1 = Avx512F.UnpackHigh(r0, r1); // … at p + 4L + 2 and + 3
                var t2 = Avx512F.UnpackLow(r2, r3);
                var t3 = Avx512F.UnpackHigh(r2, r3);
                u[4 * g] = Avx512F.Shuffle(t0, t2, 0x44);     // lane L: rows 4g … 4g + 3 at p + 4L
                u[4 * g + 1] = Avx512F.Shuffle(t0, t2, 0xEE); // … at p + 4L + 1
                u[4 * g + 2] = Avx512F.Shuffle(t1, t3, 0x44); // … at p + 4L + 2
                u[4 * g + 3] = Avx512F.Shuffle(t1, t3, 0xEE); // … at p + 4L + 3
            }

            ref var to = ref Unsafe.Add(ref dest, p * w);
            for (var k = 0; k < 4; k++)
            {
                // lanes L of u[k], u[4 + k], u[8 + k], u[12 + k] side by side: all 16 rows at p + 4L + k
                var v0 = Avx512F.Shuffle4x128(u[k], u[4 + k], 0x44);
                var v1 = Avx512F.Shuffle4x128(u[k], u[4 + k], 0xEE);
                var v2 = Avx512F.Shuffle4x128(u[8 + k], u[12 + k], 0x44);
                var v3 = Avx512F.Shuffle4x128(u[8 + k], u[12 + k], 0xEE);
                Avx512F.Shuffle4x128(v0, v2, 0x88).StoreUnsafe(ref Unsafe.Add(ref to, k * w));
                Avx512F.Shuffle4x128(v0, v2, 0xDD).StoreUnsafe(ref Unsafe.Add(ref to, (4 + k) * w));
                Avx512F.Shuffle4x128(v1, v3, 0x88).StoreUnsafe(ref Unsafe.Add(ref to, (8 + k) * w));
                Avx512F.Shuffle4x128(v1, v3, 0xDD).StoreUnsafe(ref Unsafe.Add(ref to, (12 + k) * w));
            }
        }

        if (p < count)
        {
            for (var r = 0; r < 16; r += 4)
            {
                Transpose4(ref Unsafe.Add(ref src, (nint)r * ld + p), ld, count - p, ref Unsafe.Add(ref dest, p * w + r), width, flushSubnormals);
            }
        }
    }

    /// <summary>
    /// Eight rows as 8 × 8 register transposes (AVX), one 256-bit store per p, subnormals flushed; the last count mod 8 values of p go
    /// to <see cref="Transpose4"/>. For the A strips (8 to 14 rows), which <see cref="Transpose16"/> does not fit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose8(ref float src, int ld, int count, ref float dest, int width)
    {
        var w = (nint)width;
        var p = 0;
        for (; p + 8 <= count; p += 8)
        {
            ref var row = ref Unsafe.Add(ref src, p);
            var t0 = Avx.UnpackLow(Vector256.LoadUnsafe(ref row), Vector256.LoadUnsafe(ref Unsafe.Add(ref row, ld)));
            var t1 = Avx.UnpackHigh(Vector256.LoadUnsafe(ref row), Vector256.LoadUnsafe(ref Unsafe.Add(ref row, ld)));
            ref var row2 = ref Unsafe.Add(ref row, 2 * (nint)ld);
            var t2 = Avx.UnpackLow(Vector256.LoadUnsafe(ref row2), Vector256.LoadUnsafe(ref Unsafe.Add(ref row2, ld)));
            var t3 = Avx.UnpackHigh(Vector256.LoadUnsafe(ref row2), Vector256.LoadUnsafe(ref Unsafe.Add(ref row2, ld)));
            ref var row4 = ref Unsafe.Add(ref row, 4 * (nint)ld);
            var t4 = Avx.UnpackLow(Vector256.LoadUnsafe(ref row4), Vector256.LoadUnsafe(ref Unsafe.Add(ref row4, ld)));
            var t5 = Avx.UnpackHigh(Vector256.LoadUnsafe(ref row4), Vector256.LoadUnsafe(ref Unsafe.Add(ref row4, ld)));
            ref var row6 = ref Unsafe.Add(ref row, 6 * (nint)ld);
            var t6 = Avx.UnpackLow(Vector256.LoadUnsafe(ref row6), Vector256.LoadUnsafe(ref Unsafe.Add(ref row6, ld)));
            var t7 = Avx.UnpackHigh(Vector256.LoadUnsafe(ref row6), Vector256.LoadUnsafe(ref Unsafe.Add(ref row6, ld)));
            var s0 = Avx.Shuffle(t0, t2, 0x44); // lane 0: rows 0–3 at p, lane 1: at p + 4
            var s1 = Avx.Shuffle(t0, t2, 0xEE); // p + 1, p + 5
            var s2 = Avx.Shuffle(t1, t3, 0x44); // p + 2, p + 6
            var s3 = Avx.Shuffle(t1, t3, 0xEE); // p + 3, p + 7
            var s4 = Avx.Shuffle(t4, t6, 0x44); // the same for rows 4–7
            var s5 = Avx.Shuffle(t4, t6, 0xEE);
            var s6 = Avx.Shuffle(t5, t7, 0x44);
            var s7 = Avx.Shuffle(t5, t7, 0xEE);
            ref var to = ref Unsafe.Add(ref dest, p * w);
            VectorMath.FlushSubnormal(Avx.Permute2x128(s0, s4, 0x20)).StoreUnsafe(ref to);
            VectorMath.FlushSubnormal(Avx.Permute2x128(s1, s5, 0x20)).StoreUnsafe(ref Unsafe.Add(ref to, w));
            VectorMath.FlushSubnormal(Avx.Permute2x128(s2, s6, 0x20)).StoreUnsafe(ref Unsafe.Add(ref to, 2 * w));
            VectorMath.FlushSubnormal(Avx.Permute2x128(s3, s7, 0x20)).StoreUnsafe(ref Unsafe.Add(ref to, 3 * w));
            VectorMath.FlushSubnormal(Avx.Permute2x128(s0, s4, 0x31)).StoreUnsafe(ref Unsafe.Add(ref to, 4 * w));
            VectorMath.FlushSubnormal(Avx.Permute2x128(s1, s5, 0x31)).StoreUnsafe(ref Unsafe.Add(ref to, 5 * w));
            VectorMath.FlushSubnormal(Avx.Permute2x128(s2, s6, 0x31)).StoreUnsafe(ref Unsafe.Add(ref to, 6 * w));
            VectorMath.FlushSubnormal(Avx.Permute2x128(s3, s7, 0x31)).StoreUnsafe(ref Unsafe.Add(ref to, 7 * w));
        }

        if (p < count)
        {
            Transpose4(ref Unsafe.Add(ref src, p), ld, count - p, ref Unsafe.Add(ref dest, p * w), width, flushSubnormals: true);
            Transpose4(ref Unsafe.Add(ref src, 4 * (nint)ld + p), ld, count - p, ref Unsafe.Add(ref dest, p * w + 4), width, flushSubnormals: true);
        }
    }

    /// <summary>
    /// Four rows: dest[p·width + r] = src[r·ld + p], r &lt; 4. 4 × 4 transposes within each 128-bit
    /// lane (unpack, then shuffle), 16 values of p per step with AVX-512, 4 with SSE. Subnormals are flushed when
    /// <paramref name="flushSubnormals"/> (the GEMM's packing; see <see cref="Transpose16"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose4(ref float src, int ld, int count, ref float dest, int width, bool flushSubnormals)
    {
        ref var s1 = ref Unsafe.Add(ref src, ld);
        ref var s2 = ref Unsafe.Add(ref src, 2 * ld);
        ref var s3 = ref Unsafe.Add(ref src, 3 * ld);
        var w = (nint)width;
        var p = 0;
        if (Avx512F.IsSupported)
        {
            for (; p + 16 <= count; p += 16)
            {
                var r0 = Vector512.LoadUnsafe(ref src, (nuint)p);
                var r1 = Vector512.LoadUnsafe(ref s1, (nuint)p);
                var r2 = Vector512.LoadUnsafe(ref s2, (nuint)p);
                var r3 = Vector512.LoadUnsafe(ref s3, (nuint)p);
                var t0 = Avx512F.UnpackLow(r0, r1);  // per lane: r0p0 r1p0 r0p1 r1p1
                var t1 = Avx512F.UnpackHigh(r0, r1); // per lane: r0p2 r1p2 r0p3 r1p3
                var t2 = Avx512F.UnpackLow(r2, r3);
                var t3 = Avx512F.UnpackHigh(r2, r3);
                var u0 = Avx512F.Shuffle(t0, t2, 0x44); // per lane L: rows 0..3 at p + 4L
                var u1 = Avx512F.Shuffle(t0, t2, 0xEE); // … at p + 4L + 1
                var u2 = Avx512F.Shuffle(t1, t3, 0x44);
                var u3 = Avx512F.Shuffle(t1, t3, 0xEE);
                if (flushSubnormals)
                {
                    (u0, u1, u2, u3) = (VectorMath.FlushSubnormal(u0), VectorMath.FlushSubnormal(u1), VectorMath.FlushSubnormal(u2), VectorMath.FlushSubnormal(u3));
                }

                ref var to = ref Unsafe.Add(ref dest, p * w);
                Avx512F.ExtractVector128(u0, 0).StoreUnsafe(ref to);
                Avx512F.ExtractVector128(u1, 0).StoreUnsafe(ref Unsafe.Add(ref to, w));
                Avx512F.ExtractVector128(u2, 0).StoreUnsafe(ref Unsafe.Add(ref to, 2 * w));
                Avx512F.ExtractVector128(u3, 0).StoreUnsafe(ref Unsafe.Add(ref to, 3 * w));
                Avx512F.ExtractVector128(u0, 1).StoreUnsafe(ref Unsafe.Add(ref to, 4 * w));
                Avx512F.ExtractVector128(u1, 1).StoreUnsafe(ref Unsafe.Add(ref to, 5 * w));
                Avx512F.ExtractVector128(u2, 1).StoreUnsafe(ref Unsafe.Add(ref to, 6 * w));
                Avx512F.ExtractVector128(u3, 1).StoreUnsafe(ref Unsafe.Add(ref to, 7 * w));
                Avx512F.ExtractVector128(u0, 2).StoreUnsafe(ref Unsafe.Add(ref to, 8 * w));
                Avx512F.ExtractVector128(u1, 2).StoreUnsafe(ref Unsafe.Add(ref to, 9 * w));
                Avx512F.ExtractVector128(u2, 2).StoreUnsafe(ref Unsafe.Add(ref to, 10 * w));
                Avx512F.ExtractVector128(u3, 2).StoreUnsafe(ref Unsafe.Add(ref to, 11 * w));
                Avx512F.ExtractVector128(u0, 3).StoreUnsafe(ref Unsafe.Add(ref to, 12 * w));
                Avx512F.ExtractVector128(u1, 3).StoreUnsafe(ref Unsafe.Add(ref to, 13 * w));
                Avx512F.ExtractVector128(u2, 3).StoreUnsafe(ref Unsafe.Add(ref to, 14 * w));
                Avx512F.ExtractVector128(u3, 3).StoreUnsafe(ref Unsafe.Add(ref to, 15 * w));
            }
        }

        for (; p + 4 <= count; p += 4)
        {
            var r0 = Vector128.LoadUnsafe(ref src, (nuint)p);
            var r1 = Vector128.LoadUnsafe(ref s1, (nuint)p);
            var r2 = Vector128.LoadUnsafe(ref s2, (nuint)p);
            var r3 = Vector128.LoadUnsafe(ref s3, (nuint)p);
            if (flushSubnormals)
            {
                (r0, r1, r2, r3) = (VectorMath.FlushSubnormal(r0), VectorMath.FlushSubnormal(r1), VectorMath.FlushSubnormal(r2), VectorMath.FlushSubnormal(r3));
            }

            var t0 = Sse.UnpackLow(r0, r1);  // r0p0 r1p0 r0p1 r1p1
            var t1 = Sse.UnpackHigh(r0, r1); // r0p2 r1p2 r0p3 r1p3
            var t2 = Sse.UnpackLow(r2, r3);
            var t3 = Sse.UnpackHigh(r2, r3);
            ref var to = ref Unsafe.Add(ref dest, p * w);
            Sse.MoveLowToHigh(t0, t2).StoreUnsafe(ref to);
            Sse.MoveHighToLow(t2, t0).StoreUnsafe(ref Unsafe.Add(ref to, w));
            Sse.MoveLowToHigh(t1, t3).StoreUnsafe(ref Unsafe.Add(ref to, 2 * w));
            Sse.MoveHighToLow(t3, t1).StoreUnsafe(ref Unsafe.Add(ref to, 3 * w));
        }

        for (; p < count; p++)
        {
            ref var to = ref Unsafe.Add(ref dest, p * w);
            var (v0, v1, v2, v3) = (Unsafe.Add(ref src, p), Unsafe.Add(ref s1, p), Unsafe.Add(ref s2, p), Unsafe.Add(ref s3, p));
            if (flushSubnormals)
            {
                (v0, v1, v2, v3) = (VectorMath.FlushSubnormal(v0), VectorMath.FlushSubnormal(v1), VectorMath.FlushSubnormal(v2), VectorMath.FlushSubnormal(v3));
            }

            (to, Unsafe.Add(ref to, 1), Unsafe.Add(ref to, 2), Unsafe.Add(ref to, 3)) = (v0, v1, v2, v3);
        }
    }

    /// <summary>Two rows: dest[p·width + r] = src[r·ld + p] (subnormals flushed), r &lt; 2, as (row 0, row 1) pairs stored 8 bytes at a time.</summary>
    private static void Transpose2(ref float src, int ld, int count, ref float dest, int width)
    {
        ref var s1 = ref Unsafe.Add(ref src, ld);
        var w = (nint)width;
        var p = 0;
        for (; p + 4 <= count; p += 4)
        {
            var r0 = VectorMath.FlushSubnormal(Vector128.LoadUnsafe(ref src, (nuint)p));
            var r1 = VectorMath.FlushSubnormal(Vector128.LoadUnsafe(ref s1, (nuint)p));
            var t0 = Sse.UnpackLow(r0, r1).AsUInt64();  // (r0p0 r1p0) (r0p1 r1p1)
            var t1 = Sse.UnpackHigh(r0, r1).AsUInt64(); // (r0p2 r1p2) (r0p3 r1p3)
            ref var to = ref Unsafe.As<float, byte>(ref Unsafe.Add(ref dest, p * w));
            var step = 4 * (int)w;
            Unsafe.WriteUnaligned(ref to, t0.ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, step), t0.GetElement(1));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, 2 * step), t1.ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref to, 3 * step), t1.GetElement(1));
        }

        for (; p < count; p++)
        {
            ref var to = ref Unsafe.Add(ref dest, p * w);
            to = VectorMath.FlushSubnormal(Unsafe.Add(ref src, p));
            Unsafe.Add(ref to, 1) = VectorMath.FlushSubnormal(Unsafe.Add(ref s1, p));
        }
    }
}
