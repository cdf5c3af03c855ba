using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// Row-major GEMM C = α·op(A)·op(B) + β·C. Transposed operands are first packed into plain row-major
/// scratch so one register-tiled kernel (4 rows × 2 vectors of C kept in registers while the whole
/// k loop runs) serves all four cases. Rows of C are split across threads; every element of C is
/// produced by one thread in a fixed order, so the result does not depend on the thread count.
/// </summary>
internal static class GemmKernel
{
    private const int RowTile = 4;

    public static void Run<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ScaleC(c, cOffset, ldc, m, n, beta);
        if (m == 0 || n == 0 || k == 0 || alpha == T.Zero)
        {
            return;
        }

        T[]? packedA = null, packedB = null;
        try
        {
            if (transA)
            {
                // stored A is [k, m]; pack Aᵀ as [m, k]
                packedA = ArrayPool<T>.Shared.Rent(m * k);
                Transpose(a, aOffset, lda, k, m, packedA);
                a = packedA;
                aOffset = 0;
                lda = k;
            }

            if (transB)
            {
                // stored B is [n, k]; pack Bᵀ as [k, n]
                packedB = ArrayPool<T>.Shared.Rent(k * n);
                Transpose(b, bOffset, ldb, n, k, packedB);
                b = packedB;
                bOffset = 0;
                ldb = n;
            }

            var rowBlocks = (m + RowTile - 1) / RowTile;
            var work = (long)m * n * k;
            var useThreads = work < 200_000 ? 1 : threads;
            var aa = a;
            var bb = b;
            var ao = aOffset;
            var bo = bOffset;
            var la = lda;
            var lb = ldb;
            CpuParallel.For(useThreads, rowBlocks, 1, (start, end) =>
                Rows(aa, ao, la, bb, bo, lb, c, cOffset, ldc, Math.Min(m, start * RowTile), Math.Min(m, end * RowTile), n, k, alpha));
        }
        finally
        {
            if (packedA is not null)
            {
                ArrayPool<T>.Shared.Return(packedA);
            }

            if (packedB is not null)
            {
                ArrayPool<T>.Shared.Return(packedB);
            }
        }
    }

    private static void ScaleC<T>(T[] c, int offset, int ldc, int m, int n, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (beta == T.One)
        {
            return;
        }

        for (var i = 0; i < m; i++)
        {
            var row = c.AsSpan(offset + i * ldc, n);
            if (beta == T.Zero)
            {
                row.Clear(); // β = 0 ignores whatever C held, NaN included (BLAS semantics)
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    private static void Transpose<T>(T[] source, int offset, int ld, int rows, int cols, T[] target) where T : unmanaged
    {
        // source [rows, cols] with row stride ld → target [cols, rows]
        const int block = 32;
        for (var i0 = 0; i0 < rows; i0 += block)
        {
            for (var j0 = 0; j0 < cols; j0 += block)
            {
                var iEnd = Math.Min(rows, i0 + block);
                var jEnd = Math.Min(cols, j0 + block);
                for (var i = i0; i < iEnd; i++)
                {
                    for (var j = j0; j < jEnd; j++)
                    {
                        target[j * rows + i] = source[offset + i * ld + j];
                    }
                }
            }
        }
    }

    private static void Rows<T>(T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb, T[] c, int cOffset, int ldc, int rowStart, int rowEnd, int n, int k, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        ref var a0 = ref MemoryMarshal.GetArrayDataReference(a);
        ref var b0 = ref MemoryMarshal.GetArrayDataReference(b);
        ref var c0 = ref MemoryMarshal.GetArrayDataReference(c);
        var i = rowStart;
        for (; i + RowTile <= rowEnd; i += RowTile)
        {
            var j = 0;
            for (; j + 2 * w <= n; j += 2 * w)
            {
                Tile4x2(ref a0, aOffset + i * lda, lda, ref b0, bOffset + j, ldb, ref c0, cOffset + i * ldc + j, ldc, k, alpha);
            }

            for (var r = 0; r < RowTile; r++)
            {
                RowTail(ref a0, aOffset + (i + r) * lda, ref b0, bOffset, ldb, ref c0, cOffset + (i + r) * ldc, j, n, k, alpha);
            }
        }

        for (; i < rowEnd; i++)
        {
            RowTail(ref a0, aOffset + i * lda, ref b0, bOffset, ldb, ref c0, cOffset + i * ldc, 0, n, k, alpha);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x2<T>(ref T a, int aRow, int lda, ref T b, int bCol, int ldb, ref T c, int cAt, int ldc, int k, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<T> c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < k; p++)
        {
            var bAt = (nuint)(bCol + p * ldb);
            var b0v = Vector256.LoadUnsafe(ref b, bAt);
            var b1v = Vector256.LoadUnsafe(ref b, bAt + (nuint)w);
            var a0v = Vector256.Create(Unsafe.Add(ref a, aRow + p));
            var a1v = Vector256.Create(Unsafe.Add(ref a, aRow + lda + p));
            var a2v = Vector256.Create(Unsafe.Add(ref a, aRow + 2 * lda + p));
            var a3v = Vector256.Create(Unsafe.Add(ref a, aRow + 3 * lda + p));
            c00 += a0v * b0v;
            c01 += a0v * b1v;
            c10 += a1v * b0v;
            c11 += a1v * b1v;
            c20 += a2v * b0v;
            c21 += a2v * b1v;
            c30 += a3v * b0v;
            c31 += a3v * b1v;
        }

        var al = Vector256.Create(alpha);
        Store(ref c, cAt, c00, c01, al, w);
        Store(ref c, cAt + ldc, c10, c11, al, w);
        Store(ref c, cAt + 2 * ldc, c20, c21, al, w);
        Store(ref c, cAt + 3 * ldc, c30, c31, al, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c, int at, Vector256<T> v0, Vector256<T> v1, Vector256<T> alpha, int w)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var o = (nuint)at;
        (Vector256.LoadUnsafe(ref c, o) + alpha * v0).StoreUnsafe(ref c, o);
        (Vector256.LoadUnsafe(ref c, o + (nuint)w) + alpha * v1).StoreUnsafe(ref c, o + (nuint)w);
    }

    /// <summary>One row of C from column <paramref name="jStart"/>: one vector at a time, then scalars.</summary>
    private static void RowTail<T>(ref T a, int aRow, ref T b, int bOffset, int ldb, ref T c, int cRow, int jStart, int n, int k, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        var j = jStart;
        for (; j + w <= n; j += w)
        {
            Vector256<T> acc = default;
            for (var p = 0; p < k; p++)
            {
                acc += Vector256.Create(Unsafe.Add(ref a, aRow + p)) * Vector256.LoadUnsafe(ref b, (nuint)(bOffset + p * ldb + j));
            }

            var o = (nuint)(cRow + j);
            (Vector256.LoadUnsafe(ref c, o) + Vector256.Create(alpha) * acc).StoreUnsafe(ref c, o);
        }

        for (; j < n; j++)
        {
            var acc = T.Zero;
            for (var p = 0; p < k; p++)
            {
                acc += Unsafe.Add(ref a, aRow + p) * Unsafe.Add(ref b, bOffset + p * ldb + j);
            }

            Unsafe.Add(ref c, cRow + j) += alpha * acc;
        }
    }
}
