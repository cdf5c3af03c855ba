using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu;

/// <summary>Data movement: axis permutation, gather and its scatter-add VJP.</summary>
internal static class LayoutKernels
{
    /// <summary>Square blocks of a batched transpose: two 16-float rows of cache lines on each side.</summary>
    private const int TransposeBlock = 16;

    public static void Permute<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<T> y)
        where T : unmanaged
    {
        if (AsBatchedTranspose(shape, perm, out var batch, out var rows, out var cols))
        {
            Transpose(x, batch, rows, cols, y);
            return;
        }

        var rank = shape.Length;
        Span<int> inStrides = stackalloc int[rank];
        var stride = 1;
        for (var axis = rank - 1; axis >= 0; axis--)
        {
            inStrides[axis] = stride;
            stride *= shape[axis];
        }

        // Strides of x as seen when walking y's axes in order.
        Span<int> walkStrides = stackalloc int[rank];
        Span<int> outShape = stackalloc int[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            walkStrides[axis] = inStrides[perm[axis]];
            outShape[axis] = shape[perm[axis]];
        }

        Span<int> index = stackalloc int[rank];
        var offset = 0;
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = x[offset];
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                index[axis]++;
                offset += walkStrides[axis];
                if (index[axis] < outShape[axis])
                {
                    break;
                }

                offset -= walkStrides[axis] * outShape[axis];
                index[axis] = 0;
            }
        }
    }

    /// <summary>
    /// Whether the permutation, once runs of axes that stay adjacent and in order are merged, is [batch, rows, cols] →
    /// [batch, cols, rows]: the hypernetwork's generated filters ([net·filter, tap, channel] ↔ [net·filter, channel, tap])
    /// went element by element through the general walk at a few hundred million elements a second.
    /// </summary>
    private static bool AsBatchedTranspose(ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, out int batch, out int rows, out int cols)
    {
        (batch, rows, cols) = (1, 1, 1);
        Span<int> groups = stackalloc int[3];
        var count = 0;
        for (var i = 0; i < perm.Length; i++)
        {
            if (i > 0 && perm[i] == perm[i - 1] + 1)
            {
                continue;
            }

            if (count == groups.Length)
            {
                return false;
            }

            groups[count++] = perm[i];
        }

        // the runs' first input axes in output order: [c, 0] for a single transpose, [0, c, r] with c > r > 0 for a batch
        if (count == 2 && groups[1] == 0)
        {
            rows = Product(shape, 0, groups[0]);
            cols = Product(shape, groups[0], shape.Length);
            return true;
        }

        if (count != 3 || groups[0] != 0 || groups[2] == 0 || groups[1] <= groups[2])
        {
            return false;
        }

        batch = Product(shape, 0, groups[2]);
        rows = Product(shape, groups[2], groups[1]);
        cols = Product(shape, groups[1], shape.Length);
        return true;
    }

    private static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        var product = 1;
        for (var axis = from; axis < to; axis++)
        {
            product *= shape[axis];
        }

        return product;
    }

    /// <summary>
    /// <see cref="Permute{T}(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{int}, Span{T})"/> with a batched transpose's
    /// planes shared out among <paramref name="workers"/>' threads (the hypernetwork's filters: 512 planes per call).
    /// Each plane is one thread's plain copy, so the result is the same on any thread count.
    /// </summary>
    public static void Permute<T>(T[] x, int xo, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, T[] y, int yo, int length, WorkerPool workers)
        where T : unmanaged
    {
        if (AsBatchedTranspose(shape, perm, out var batch, out var rows, out var cols) && batch > 1 && (long)batch * rows * cols >= ParallelTransposeElements)
        {
            if ((long)batch * rows * cols > length || length > x.Length - xo || length > y.Length - yo)
            {
                throw new ArgumentException($"Permute of [{string.Join(", ", shape.ToArray())}] needs {(long)batch * rows * cols} elements in both buffers; "
                    + $"given {length} at offsets {xo} (of {x.Length}) and {yo} (of {y.Length}).");
            }

            CpuParallel.For(workers, batch, 1, new TransposeBody<T>(x, xo, rows, cols, y, yo), alignment: 1);
            return;
        }

        Permute<T>(x.AsSpan(xo, length), shape, perm, y.AsSpan(yo, length));
    }

    /// <summary>Below this many elements a batched transpose stays on the calling thread (waking a worker costs more).</summary>
    private const int ParallelTransposeElements = 1 << 15;

    /// <summary>y[b, j, i] = x[b, i, j] for x [batch, rows, cols].</summary>
    public static void Transpose<T>(ReadOnlySpan<T> x, int batch, int rows, int cols, Span<T> y) where T : unmanaged
    {
        var plane = rows * cols;
        if (plane == 0)
        {
            return;
        }

        if ((long)batch * plane > x.Length || (long)batch * plane > y.Length)
        {
            throw new ArgumentException($"Transpose of {batch} × {rows} × {cols} needs {(long)batch * plane} elements; x has {x.Length}, y {y.Length}.");
        }

        for (var b = 0; b < batch; b++)
        {
            TransposePlane(ref Unsafe.Add(ref MemoryMarshal.GetReference(x), b * plane), rows, cols, ref Unsafe.Add(ref MemoryMarshal.GetReference(y), b * plane));
        }
    }

    /// <summary>
    /// to[j·ld + i] = from[i·cols + j] for <paramref name="rows"/> ≤ 16 rows: 16 rows through one
    /// <see cref="GemmPacking.Transpose16"/> pass (float32, AVX-512), fewer element by element. Moves values, bit for bit.
    /// </summary>
    internal static void TransposeRows(ReadOnlySpan<float> from, int rows, int cols, Span<float> to, int ld)
    {
        if (rows > 16 || from.Length < rows * cols || (rows > 0 && cols > 0 && to.Length < (cols - 1) * ld + rows))
        {
            throw new ArgumentException($"internal: a {rows} × {cols} block transposed into rows {ld} apart does not fit ({from.Length} and {to.Length} values).");
        }

        if (rows == 16 && Avx512F.IsSupported)
        {
            GemmPacking.Transpose16(ref MemoryMarshal.GetReference(from), cols, cols, ref MemoryMarshal.GetReference(to), ld);
            return;
        }

        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                to[j * ld + i] = from[i * cols + j];
            }
        }
    }

    /// <summary>
    /// One plane: float32 with AVX-512 takes 16 rows at a time through 16 × 16 register transposes
    /// (<see cref="GemmPacking.Transpose16"/>); the other rows, and every other case, go in square blocks so both sides
    /// walk whole cache lines. Element by element with bounds checks, the hypernetwork's filters moved at about half a
    /// billion values a second.
    /// </summary>
    internal static void TransposePlane<T>(ref T from, int rows, int cols, ref T to) where T : unmanaged
    {
        var i0 = 0;
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            for (; i0 + 16 <= rows; i0 += 16)
            {
                GemmPacking.Transpose16(ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, i0 * cols)), cols, cols, ref Unsafe.As<T, float>(ref Unsafe.Add(ref to, i0)), rows);
            }
        }

        for (; i0 < rows; i0 += TransposeBlock)
        {
            var i1 = Math.Min(i0 + TransposeBlock, rows);
            for (var j0 = 0; j0 < cols; j0 += TransposeBlock)
            {
                var j1 = Math.Min(j0 + TransposeBlock, cols);
                for (var i = i0; i < i1; i++)
                {
                    for (var j = j0; j < j1; j++)
                    {
                        Unsafe.Add(ref to, j * rows + i) = Unsafe.Add(ref from, i * cols + j);
                    }
                }
            }
        }
    }

    public static void Gather<T>(ReadOnlySpan<T> x, int outer, int n, int inner, ReadOnlySpan<int> indices, Span<T> y)
        where T : unmanaged
    {
        var m = indices.Length;
        for (var o = 0; o < outer; o++)
        {
            for (var j = 0; j < m; j++)
            {
                x.Slice((o * n + indices[j]) * inner, inner).CopyTo(y.Slice((o * m + j) * inner, inner));
            }
        }
    }

    public static void ScatterAdd<T>(ReadOnlySpan<T> dy, int outer, int n, int inner, ReadOnlySpan<int> indices, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = indices.Length;
        for (var o = 0; o < outer; o++)
        {
            for (var j = 0; j < m; j++)
            {
                var target = dx.Slice((o * n + indices[j]) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(target, dy.Slice((o * m + j) * inner, inner), target);
            }
        }
    }
}

/// <summary>Planes [start, end) of a batched transpose, each on the thread that runs the range.</summary>
internal readonly struct TransposeBody<T>(T[] x, int xo, int rows, int cols, T[] y, int yo) : IRangeBody where T : unmanaged
{
    public void Run(int start, int end)
    {
        var plane = rows * cols;
        for (var b = start; b < end; b++)
        {
            LayoutKernels.TransposePlane(ref x[xo + b * plane], rows, cols, ref y[yo + b * plane]);
        }
    }
}
