using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Gemm;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu;

/// <summary>
/// The gradients of one large generated matrix of a hyper-layer, unpacked, with AVX-512 (the CPU's
/// <see cref="IHyperMatrixGradientRoute"/>): from g [rows, cols], dB = g, duhT = V·gᵀ [outer, rows] and dV = uhᵀ·g
/// [outer, cols] with uh = U·H [rows, outer]. The rows are split in two fixed halves; each half is streamed once in blocks of
/// 8 rows through an L1-resident copy (dB written on the way) whose dot products with the rows of V give its columns of
/// duhT, then its rows are read again, from L2, column strip by column strip, for its sum of uhᵀ·g, with the 10 × 2-vector
/// accumulators kept over all its rows. The packed GEMM steps read the 1.25 MB g of HyperVAE's 560 × 560 targets three
/// times and pack it twice (118–124 µs for such a target's backward alone against 95–116 here, `HyperLayerBenchmarks`, "largest").
/// Operands read as 0 where subnormal, as in the packed GEMM (<see cref="GemmPacking"/>): uh and V are flushed once into
/// the caller's buffer, g as it is read; dB is g itself. Every value is summed in one fixed order whatever the thread
/// count: each value of duhT by one thread, dV over each half's rows in order, then the second half's sums added.
/// </summary>
internal static class HyperMatrixGradients
{
    /// <summary>Rows of g staged and dotted with V together (8 × 560 floats: 18 KB, in L1 beside a group of 5 rows of V).</summary>
    private const int BlockRows = 8;

    /// <summary>Whether the route takes a rows × cols target: AVX-512, whole vectors per row, and enough values to beat the GEMM steps.</summary>
    public static bool Applies<T>(int rows, int cols) where T : unmanaged =>
        Vector512.IsHardwareAccelerated && cols % Vector512<T>.Count == 0 && (long)rows * cols >= 8192;

    /// <summary>dB = g, dV = uhᵀ·g and duhT = V·gᵀ, each skipped when its array is null.</summary>
    public static void Run<T>(
        T[] uh, int uhAt, T[] v, int vAt, T[] g, int gAt, T[]? db, int dbAt, T[]? dv, int dvAt, T[]? duhT, int duhTAt,
        int rows, int cols, int outer, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var flushed = Flush(uh, uhAt, v, vAt, rows, cols, outer);
        var partial = dv is null ? null : PackBuffer<T>.ThreadPartial(outer * cols); // the second half's uhᵀ·g
        var body = new HalfBody<T>(
            flushed.Array, flushed.Offset, flushed.Offset + rows * outer, g, gAt, db, dbAt, dv, dvAt, partial?.Array, partial?.Offset ?? 0,
            duhT, duhTAt, rows, cols, outer);
        CpuParallel.ForEach(workers, 2, body);
        if (dv is not null)
        {
            var sums = dv.AsSpan(dvAt, outer * cols);
            TensorPrimitives.Add(sums, partial!.Array.AsSpan(partial.Offset, outer * cols), sums);
        }
    }

    /// <summary>uh then V, each value 0 where subnormal, in the calling thread's A buffer (read by every thread of the call).</summary>
    private static PackBuffer<T> Flush<T>(T[] uh, int uhAt, T[] v, int vAt, int rows, int cols, int outer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (uhLength, vLength) = (rows * outer, outer * cols);
        var buffer = PackBuffer<T>.ThreadA(uhLength + vLength);
        FlushInto(uh.AsSpan(uhAt, uhLength), buffer.Array.AsSpan(buffer.Offset, uhLength));
        FlushInto(v.AsSpan(vAt, vLength), buffer.Array.AsSpan(buffer.Offset + uhLength, vLength));
        return buffer;
    }

    private static void FlushInto<T>(ReadOnlySpan<T> from, Span<T> to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        for (; i + Vector512<T>.Count <= from.Length; i += Vector512<T>.Count)
        {
            VectorMath.FlushSubnormal(Vector512.Create(from.Slice(i, Vector512<T>.Count))).CopyTo(to[i..]);
        }

        for (; i < from.Length; i++)
        {
            to[i] = VectorMath.FlushSubnormal(from[i]);
        }
    }

    /// <summary>
    /// Half <c>part</c> of g's rows: block by block, dB and the block's columns of duhT; then its uhᵀ·g into dV itself (the
    /// first half) or into <c>partial</c> (the second).
    /// </summary>
    private readonly struct HalfBody<T>(
        T[] flushed, int uhAt, int vAt, T[] g, int gAt, T[]? db, int dbAt, T[]? dv, int dvAt, T[]? partial, int partialAt,
        T[]? duhT, int duhTAt, int rows, int cols, int outer) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            for (var part = start; part < end; part++)
            {
                Half(part);
            }
        }

        private void Half(int part)
        {
            var (first, last) = (rows * part / 2, rows * (part + 1) / 2);
            if (db is not null || duhT is not null)
            {
                var stage = PackBuffer<T>.ThreadB(BlockRows * cols);
                for (var r = first; r < last; r += BlockRows)
                {
                    var count = Math.Min(BlockRows, last - r);
                    Stage(r, count, ref stage.Array[stage.Offset]);
                    if (duhT is not null)
                    {
                        Dots(r, count, ref stage.Array[stage.Offset]);
                    }
                }
            }

            var (sums, sumsAt) = part == 0 ? (dv, dvAt) : (partial, partialAt);
            if (sums is not null)
            {
                // an empty half (g of one row) still writes its sums, all 0: its first row only has to lie inside g
                SumProducts(first, last - first, ref g[gAt + Math.Min(first, rows - 1) * cols], ref sums[sumsAt]);
            }
        }

        /// <summary>Rows [r, r + count) of g into dB as they are and, for the dot products, into the stage flushed.</summary>
        private void Stage(int r, int count, ref T stage)
        {
            var length = (nuint)(count * cols);
            ref var from = ref g[gAt + r * cols];
            ref var copy = ref db is null ? ref Unsafe.NullRef<T>() : ref db[dbAt + r * cols];
            for (nuint i = 0; i < length; i += (nuint)Vector512<T>.Count)
            {
                var x = Vector512.LoadUnsafe(ref from, i);
                if (db is not null)
                {
                    x.StoreUnsafe(ref copy, i);
                }

                if (duhT is not null)
                {
                    VectorMath.FlushSubnormal(x).StoreUnsafe(ref stage, i);
                }
            }
        }

        /// <summary>
        /// duhT[o, r + i] = Σ_c stage[i, c]·V[o, c] for the block's rows, 4 rows × 5 rows of V at a time, taking every row of
        /// the block for one group of V's rows before the next group, so the group stays in L1 (V itself does not).
        /// </summary>
        private void Dots(int r, int count, ref T stage)
        {
            var o = 0;
            for (; o + 5 <= outer; o += 5)
            {
                DotGroup<Tile4x5, Tile1x5>(r, count, o, ref stage);
            }

            for (; o < outer; o++)
            {
                DotGroup<Tile4x1, Tile1x1>(r, count, o, ref stage);
            }
        }

        private void DotGroup<TFour, TOne>(int r, int count, int o, ref T stage) where TFour : struct, ITileShape where TOne : struct, ITileShape
        {
            var i = 0;
            for (; i + 4 <= count; i += 4)
            {
                DotTile<TFour>(r + i, o, ref Unsafe.Add(ref stage, i * cols));
            }

            for (; i < count; i++)
            {
                DotTile<TOne>(r + i, o, ref Unsafe.Add(ref stage, i * cols));
            }
        }

        /// <summary>TS.Rows staged rows × TS.Vectors rows of V (1 or 5): one accumulator per pair, summed across its lanes at the end.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void DotTile<TS>(int r, int o, ref T stage) where TS : struct, ITileShape
        {
            var (four, five) = (TS.Rows == 4, TS.Vectors == 5);
            var stride = (nuint)cols;
            ref var v = ref flushed[vAt + o * cols];
            Vector512<T> a00 = default, a01 = default, a02 = default, a03 = default, a04 = default;
            Vector512<T> a10 = default, a11 = default, a12 = default, a13 = default, a14 = default;
            Vector512<T> a20 = default, a21 = default, a22 = default, a23 = default, a24 = default;
            Vector512<T> a30 = default, a31 = default, a32 = default, a33 = default, a34 = default;
            for (nuint c = 0; c < stride; c += (nuint)Vector512<T>.Count)
            {
                var s0 = Vector512.LoadUnsafe(ref stage, c);
                var v0 = Vector512.LoadUnsafe(ref v, c);
                a00 = MicroKernelMath.Fma(s0, v0, a00);
                Vector512<T> v1 = default, v2 = default, v3 = default, v4 = default;
                if (five)
                {
                    (v1, v2, v3, v4) = (Vector512.LoadUnsafe(ref v, stride + c), Vector512.LoadUnsafe(ref v, 2 * stride + c), Vector512.LoadUnsafe(ref v, 3 * stride + c), Vector512.LoadUnsafe(ref v, 4 * stride + c));
                    (a01, a02, a03, a04) = (MicroKernelMath.Fma(s0, v1, a01), MicroKernelMath.Fma(s0, v2, a02), MicroKernelMath.Fma(s0, v3, a03), MicroKernelMath.Fma(s0, v4, a04));
                }

                if (four)
                {
                    var s1 = Vector512.LoadUnsafe(ref stage, stride + c);
                    var s2 = Vector512.LoadUnsafe(ref stage, 2 * stride + c);
                    var s3 = Vector512.LoadUnsafe(ref stage, 3 * stride + c);
                    (a10, a20, a30) = (MicroKernelMath.Fma(s1, v0, a10), MicroKernelMath.Fma(s2, v0, a20), MicroKernelMath.Fma(s3, v0, a30));
                    if (five)
                    {
                        (a11, a12, a13, a14) = (MicroKernelMath.Fma(s1, v1, a11), MicroKernelMath.Fma(s1, v2, a12), MicroKernelMath.Fma(s1, v3, a13), MicroKernelMath.Fma(s1, v4, a14));
                        (a21, a22, a23, a24) = (MicroKernelMath.Fma(s2, v1, a21), MicroKernelMath.Fma(s2, v2, a22), MicroKernelMath.Fma(s2, v3, a23), MicroKernelMath.Fma(s2, v4, a24));
                        (a31, a32, a33, a34) = (MicroKernelMath.Fma(s3, v1, a31), MicroKernelMath.Fma(s3, v2, a32), MicroKernelMath.Fma(s3, v3, a33), MicroKernelMath.Fma(s3, v4, a34));
                    }
                }
            }

            ref var target = ref duhT![duhTAt + o * rows + r];
            var next = (nuint)rows; // duhT is [outer, rows]: the next row of V is the next row of duhT
            target = Vector512.Sum(a00);
            if (five)
            {
                (Unsafe.Add(ref target, next), Unsafe.Add(ref target, 2 * next), Unsafe.Add(ref target, 3 * next), Unsafe.Add(ref target, 4 * next)) =
                    (Vector512.Sum(a01), Vector512.Sum(a02), Vector512.Sum(a03), Vector512.Sum(a04));
            }

            if (four)
            {
                (Unsafe.Add(ref target, 1), Unsafe.Add(ref target, 2), Unsafe.Add(ref target, 3)) = (Vector512.Sum(a10), Vector512.Sum(a20), Vector512.Sum(a30));
                if (five)
                {
                    Store(ref Unsafe.Add(ref target, next), a11, a21, a31);
                    Store(ref Unsafe.Add(ref target, 2 * next), a12, a22, a32);
                    Store(ref Unsafe.Add(ref target, 3 * next), a13, a23, a33);
                    Store(ref Unsafe.Add(ref target, 4 * next), a14, a24, a34);
                }
            }
        }

        /// <summary>The lane sums of rows 1–3's accumulators into the three values after <paramref name="column"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(ref T column, Vector512<T> x1, Vector512<T> x2, Vector512<T> x3) =>
            (Unsafe.Add(ref column, 1), Unsafe.Add(ref column, 2), Unsafe.Add(ref column, 3)) = (Vector512.Sum(x1), Vector512.Sum(x2), Vector512.Sum(x3));

        /// <summary>sums[o, c] = Σ_i uh[r + i, o]·g[r + i, c] over <paramref name="count"/> rows in order, 10 rows of sums × 2 vectors at a time.</summary>
        private void SumProducts(int r, int count, ref T rowsOfG, ref T sums)
        {
            var o = 0;
            for (; o + 10 <= outer; o += 10)
            {
                SumColumns<Tile10x2, Tile10x1>(r, count, o, ref rowsOfG, ref sums);
            }

            for (; o < outer; o++)
            {
                SumColumns<Tile1x2, Tile1x1>(r, count, o, ref rowsOfG, ref sums);
            }
        }

        private void SumColumns<TPair, TOne>(int r, int count, int o, ref T rowsOfG, ref T sums) where TPair : struct, ITileShape where TOne : struct, ITileShape
        {
            var width = Vector512<T>.Count;
            var c = 0;
            for (; c + 2 * width <= cols; c += 2 * width)
            {
                ProductTile<TPair>(r, count, o, c, ref rowsOfG, ref sums);
            }

            for (; c < cols; c += width)
            {
                ProductTile<TOne>(r, count, o, c, ref rowsOfG, ref sums);
            }
        }

        /// <summary>TS.Rows rows of sums (1 or 10) × TS.Vectors vectors (1 or 2): the rows of g one FMA each, in order, from zero.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ProductTile<TS>(int r, int count, int o, int c, ref T rowsOfG, ref T sums) where TS : struct, ITileShape
        {
            var (ten, two, width, stride) = (TS.Rows == 10, TS.Vectors == 2, (nuint)Vector512<T>.Count, (nuint)cols);
            ref var s = ref Unsafe.Add(ref sums, o * cols + c);
            Vector512<T> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default;
            Vector512<T> a30 = default, a31 = default, a40 = default, a41 = default, a50 = default, a51 = default;
            Vector512<T> a60 = default, a61 = default, a70 = default, a71 = default, a80 = default, a81 = default, a90 = default, a91 = default;
            ref var x = ref Unsafe.Add(ref rowsOfG, c);
            ref var u = ref flushed[uhAt + r * outer + o];
            for (var i = 0; i < count; i++, x = ref Unsafe.Add(ref x, cols), u = ref Unsafe.Add(ref u, outer))
            {
                var x0 = VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref x));
                var x1 = two ? VectorMath.FlushSubnormal(Vector512.LoadUnsafe(ref x, width)) : default;
                var u0 = Vector512.Create(u);
                a00 = MicroKernelMath.Fma(u0, x0, a00);
                if (two)
                {
                    a01 = MicroKernelMath.Fma(u0, x1, a01);
                }

                if (ten)
                {
                    var (u1, u2, u3) = (Vector512.Create(Unsafe.Add(ref u, 1)), Vector512.Create(Unsafe.Add(ref u, 2)), Vector512.Create(Unsafe.Add(ref u, 3)));
                    (a10, a20, a30) = (MicroKernelMath.Fma(u1, x0, a10), MicroKernelMath.Fma(u2, x0, a20), MicroKernelMath.Fma(u3, x0, a30));
                    if (two)
                    {
                        (a11, a21, a31) = (MicroKernelMath.Fma(u1, x1, a11), MicroKernelMath.Fma(u2, x1, a21), MicroKernelMath.Fma(u3, x1, a31));
                    }

                    var (u4, u5, u6) = (Vector512.Create(Unsafe.Add(ref u, 4)), Vector512.Create(Unsafe.Add(ref u, 5)), Vector512.Create(Unsafe.Add(ref u, 6)));
                    (a40, a50, a60) = (MicroKernelMath.Fma(u4, x0, a40), MicroKernelMath.Fma(u5, x0, a50), MicroKernelMath.Fma(u6, x0, a60));
                    if (two)
                    {
                        (a41, a51, a61) = (MicroKernelMath.Fma(u4, x1, a41), MicroKernelMath.Fma(u5, x1, a51), MicroKernelMath.Fma(u6, x1, a61));
                    }

                    var (u7, u8, u9) = (Vector512.Create(Unsafe.Add(ref u, 7)), Vector512.Create(Unsafe.Add(ref u, 8)), Vector512.Create(Unsafe.Add(ref u, 9)));
                    (a70, a80, a90) = (MicroKernelMath.Fma(u7, x0, a70), MicroKernelMath.Fma(u8, x0, a80), MicroKernelMath.Fma(u9, x0, a90));
                    if (two)
                    {
                        (a71, a81, a91) = (MicroKernelMath.Fma(u7, x1, a71), MicroKernelMath.Fma(u8, x1, a81), MicroKernelMath.Fma(u9, x1, a91));
                    }
                }
            }

            a00.StoreUnsafe(ref s);
            if (two)
            {
                a01.StoreUnsafe(ref s, width);
            }

            if (ten)
            {
                a10.StoreUnsafe(ref s, stride);
                a20.StoreUnsafe(ref s, 2 * stride);
                a30.StoreUnsafe(ref s, 3 * stride);
                a40.StoreUnsafe(ref s, 4 * stride);
                a50.StoreUnsafe(ref s, 5 * stride);
                a60.StoreUnsafe(ref s, 6 * stride);
                a70.StoreUnsafe(ref s, 7 * stride);
                a80.StoreUnsafe(ref s, 8 * stride);
                a90.StoreUnsafe(ref s, 9 * stride);
                if (two)
                {
                    a11.StoreUnsafe(ref s, stride + width);
                    a21.StoreUnsafe(ref s, 2 * stride + width);
                    a31.StoreUnsafe(ref s, 3 * stride + width);
                    a41.StoreUnsafe(ref s, 4 * stride + width);
                    a51.StoreUnsafe(ref s, 5 * stride + width);
                    a61.StoreUnsafe(ref s, 6 * stride + width);
                    a71.StoreUnsafe(ref s, 7 * stride + width);
                    a81.StoreUnsafe(ref s, 8 * stride + width);
                    a91.StoreUnsafe(ref s, 9 * stride + width);
                }
            }
        }
    }

    private readonly struct Tile4x5 : ITileShape { public static int Rows => 4; public static int Vectors => 5; }
    private readonly struct Tile1x5 : ITileShape { public static int Rows => 1; public static int Vectors => 5; }
    private readonly struct Tile1x2 : ITileShape { public static int Rows => 1; public static int Vectors => 2; }
    private readonly struct Tile1x1 : ITileShape { public static int Rows => 1; public static int Vectors => 1; }
}
