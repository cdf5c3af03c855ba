using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// GEMMs with one row of C (m = 1) or with k = 1 (an outer product), straight from the operands with AVX-512: nothing is
/// packed but the one row of op(A) (or of op(B)), and the columns (or rows) of C are split between the threads. Why:
/// HyperVAE's hyper-encoder runs its dense layer on one image (1 × 3136 by 3136 × 100; in the backward the outer product
/// 100 × 1 by 1 × 3136 and 1 × 100 by 100 × 3136). Packed, the one row of A filled a 4-row register tile and all of B
/// was transposed or copied first: 58, 75 and 48 µs a step. Every element of C is summed over k in one fixed order
/// whatever the thread count, and operands read as 0 where subnormal, as in the packed GEMM (<see cref="GemmPacking"/>).
/// </summary>
internal static class ThinGemm
{
    /// <summary>Whether this route takes an m × n × k product: one row of C, or k = 1, where AVX-512 is available.</summary>
    public static bool Applies(int m, int k) => Vector512.IsHardwareAccelerated && (m == 1 || k == 1);

    /// <summary>C = α·op(A)·op(B) + β·C (then <paramref name="epilogue"/>), for a shape <see cref="Applies"/> takes.</summary>
    public static void Run<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        T beta, T[] c, int cOffset, int ldc, WorkerPool? workers, GemmEpilogue<T>? epilogue)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (k == 1)
        {
            // op(B)'s one row, flushed, then every row of C is α·op(A)[i, 0]·that row (+ β·C)
            var row = PackBuffer<T>.ThreadA(n);
            Gather(b, bOffset, transB ? ldb : 1, n, row.Array.AsSpan(row.Offset, n));
            var outer = new OuterProductBody<T>(a, aOffset, transA ? 1 : lda, row.Array, row.Offset, n, alpha, beta, c, cOffset, ldc, epilogue);
            Dispatch(workers, m, Math.Max(1, 4096 / n), outer, alignment: 1);
            return;
        }

        // op(A)'s one row, flushed, then each column of C is that row times a column of op(B)
        var packed = PackBuffer<T>.ThreadA(k);
        Gather(a, aOffset, transA ? lda : 1, k, packed.Array.AsSpan(packed.Offset, k));
        var body = new RowTimesMatrixBody<T>(packed.Array, packed.Offset, k, transB, b, bOffset, ldb, alpha, beta, c, cOffset, epilogue);
        Dispatch(workers, n, Vector512<T>.Count, body, alignment: Vector512<T>.Count);
    }

    private static void Dispatch<TBody>(WorkerPool? workers, int count, int minPerChunk, TBody body, int alignment) where TBody : struct, IRangeBody
    {
        if (workers is null)
        {
            body.Run(0, count);
        }
        else
        {
            CpuParallel.For(workers, count, minPerChunk, body, alignment);
        }
    }

    /// <summary>to[i] = from[offset + i·stride], 0 where subnormal.</summary>
    private static void Gather<T>(T[] from, int offset, int stride, int count, Span<T> to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < count; i++)
        {
            to[i] = VectorMath.FlushSubnormal(from[offset + (long)i * stride]);
        }
    }

    /// <summary>target = α·sum + β·target with the micro-kernels' rule: β = 0 does not read the target (a NaN there is ignored).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(T sum, T alpha, T beta, ref T target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = sum * alpha;
        target = beta == T.Zero ? value : beta == T.One ? value + target : value + beta * target;
    }

    /// <inheritdoc cref="Store{T}(T, T, T, ref T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> sum, T alpha, T beta, ref T target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var value = sum * Vector512.Create(alpha);
        if (beta != T.Zero)
        {
            var old = Vector512.LoadUnsafe(ref target);
            value = beta == T.One ? value + old : value + Vector512.Create(beta) * old;
        }

        value.StoreUnsafe(ref target);
    }

    /// <summary>
    /// Columns [start, end) of the one row of C. op(B) stored [k, n] (not transposed): row p of B at a time, 16 columns per
    /// vector, each column's sum taking p in order with one rounding per step (the last columns one by one the same way).
    /// op(B) stored [n, k] (transposed): each column a dot product of two contiguous runs, 16 partial sums then their
    /// total, then the last k mod 16 products in order.
    /// </summary>
    private readonly struct RowTimesMatrixBody<T>(
        T[] row, int rowOffset, int k, bool transB, T[] b, int bOffset, int ldb, T alpha, T beta, T[] c, int cOffset,
        GemmEpilogue<T>? epilogue) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>Rows of B prefetched ahead of the one being summed (HyperVAE step: 58 µs without, 44 with).</summary>
        private const int Ahead = 2;

        public void Run(int start, int end)
        {
            if (transB)
            {
                ByDots(start, end);
            }
            else
            {
                ByRowsOfB(start, end);
            }

            epilogue?.Apply(ref c[cOffset + start], 0, 1, start, end - start);
        }

        /// <summary>B stored [n, k]: each column of C a dot product of the row with one row of B.</summary>
        private void ByDots(int start, int end)
        {
            ref var a = ref row[rowOffset];
            ref var to = ref c[cOffset];
            for (var j = start; j < end; j++)
            {
                Store(Dot(ref a, ref b[bOffset + (long)j * ldb], k), alpha, beta, ref Unsafe.Add(ref to, j));
            }
        }

        /// <summary>
        /// B stored [k, n], p outer: each row of B is read once, front to back (column blocks read down B touched one or two
        /// lines per 12.5 KB row, which the hardware prefetcher did not follow: 73 µs for HyperVAE's 1 × 100 · 100 × 3136),
        /// while the range's sums wait in the thread's scratch; each sum still takes p in order.
        /// </summary>
        private void ByRowsOfB(int start, int end)
        {
            ref var a = ref row[rowOffset];
            ref var to = ref c[cOffset + start];
            var (width, count) = (Vector512<T>.Count, end - start);
            var scratch = PackBuffer<T>.ThreadB(count);
            var sums = scratch.Array.AsSpan(scratch.Offset, count);
            sums.Clear();
            ref var sum = ref MemoryMarshal.GetReference(sums);
            var whole = count / width * width;
            for (var p = 0; p < k; p++)
            {
                var ap = Unsafe.Add(ref a, p);
                var broadcast = Vector512.Create(ap);
                ref var bRow = ref b[bOffset + (long)p * ldb + start];
                if (p + Ahead < k)
                {
                    Prefetch.Slice<T>(b.AsSpan(bOffset + (p + Ahead) * ldb + start, count), 0, 1);
                }

                var j = 0;
                for (; j < whole; j += width)
                {
                    var value = VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref bRow, (nuint)j));
                    MicroKernelMath.Fma(broadcast, value, Vector512.LoadUnsafe(ref sum, (nuint)j)).StoreUnsafe(ref sum, (nuint)j);
                }

                for (; j < count; j++)
                {
                    Unsafe.Add(ref sum, j) = T.FusedMultiplyAdd(ap, VectorMath.FlushSubnormal(Unsafe.Add(ref bRow, j)), Unsafe.Add(ref sum, j));
                }
            }

            var i = 0;
            for (; i < whole; i += width)
            {
                Store(Vector512.LoadUnsafe(ref sum, (nuint)i), alpha, beta, ref Unsafe.Add(ref to, i));
            }

            for (; i < count; i++)
            {
                Store(Unsafe.Add(ref sum, i), alpha, beta, ref Unsafe.Add(ref to, i));
            }
        }

        private static T Dot(ref T a, ref T b, int k)
        {
            var width = Vector512<T>.Count;
            var partial = Vector512<T>.Zero;
            var p = 0;
            for (; p + width <= k; p += width)
            {
                var value = VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref Unsafe.Add(ref b, p)));
                partial = MicroKernelMath.Fma(Vector512.LoadUnsafe(ref Unsafe.Add(ref a, p)), value, partial);
            }

            var sum = Vector512.Sum(partial);
            for (; p < k; p++)
            {
                sum = T.FusedMultiplyAdd(Unsafe.Add(ref a, p), VectorMath.FlushSubnormal(Unsafe.Add(ref b, p)), sum);
            }

            return sum;
        }
    }

    /// <summary>Rows [start, end) of C = α·op(A)[i, 0]·row + β·C, each product rounded once before α, as the micro-kernels do.</summary>
    private readonly struct OuterProductBody<T>(
        T[] a, int aOffset, int aStride, T[] row, int rowOffset, int n, T alpha, T beta, T[] c, int cOffset, int ldc,
        GemmEpilogue<T>? epilogue) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            var width = Vector512<T>.Count;
            var values = MemoryMarshal.CreateReadOnlySpan(ref row[rowOffset], n);
            for (var i = start; i < end; i++)
            {
                var ai = VectorMath.FlushSubnormal(a[aOffset + (long)i * aStride]);
                ref var to = ref c[cOffset + (long)i * ldc];
                var j = 0;
                for (; j + width <= n; j += width)
                {
                    Store(Vector512.Create(ai) * Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(values), (nuint)j), alpha, beta, ref Unsafe.Add(ref to, j));
                }

                for (; j < n; j++)
                {
                    Store(ai * values[j], alpha, beta, ref Unsafe.Add(ref to, j));
                }

                epilogue?.Apply(ref to, ldc, 1, 0, n);
            }
        }
    }
}
