using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// target[i] = Σ_p op(A)[i, p] + β·target[i] for every row i of op(A) (β = 0 does not read the target), taken by the GEMM
/// from A as it packs it: a dense layer's bias gradient (the column sums of dy, which is A of the weight gradient dyᵀ·x)
/// without a pass of its own over dy. Why: IWAE's decoder reduced its 15.7 MB dlogits and two 6 MB hidden gradients once
/// more for the biases, 1.2 ms of a 33 ms step. Each row is summed over p in order, by one thread (a product split in k:
/// each half, the second half's sums added after), so the sums do not depend on the thread count.
/// </summary>
internal readonly struct GemmRowSums<T>(T[] target, int offset, T beta) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The sums of one packed strip of A (laid out packed[p·mr + r]): its first <paramref name="rows"/> rows, which are rows <paramref name="firstRow"/> on of op(A).</summary>
    public void FromPackedStrip(ref T packed, int rows, int mr, int k, int firstRow)
    {
        Span<T> sums = stackalloc T[Math.Max(mr, 2 * Math.Max(Vector512<T>.Count, Vector256<T>.Count))];
        var p = Vector512.IsHardwareAccelerated && mr <= 2 * Vector512<T>.Count ? Vectors512(ref packed, mr, k, sums)
            : Vector256.IsHardwareAccelerated && mr <= 2 * Vector256<T>.Count ? Vectors256(ref packed, mr, k, sums)
            : 0;
        if (p == 0)
        {
            sums.Clear();
        }

        // the p a vector would read past the strip for, lane by lane: each lane still adds its values in order of p
        for (; p < k; p++)
        {
            for (var r = 0; r < rows; r++)
            {
                sums[r] += Unsafe.Add(ref packed, p * mr + r);
            }
        }

        Store(sums[..rows], firstRow);
    }

    /// <summary>
    /// Lane r of one or two vectors loaded from each p's start sums row r (lanes past mr hold the next p's values and are
    /// dropped), for the p whose vectors stay inside the strip; returns the first p left over.
    /// </summary>
    private static int Vectors512(ref T packed, int mr, int k, Span<T> sums)
    {
        var (width, two) = (Vector512<T>.Count, mr > Vector512<T>.Count);
        var reach = two ? 2 * width : width;
        Vector512<T> low = Vector512<T>.Zero, high = Vector512<T>.Zero;
        var p = 0;
        for (; (long)p * mr + reach <= (long)k * mr; p++)
        {
            low += Vector512.LoadUnsafe(ref packed, (nuint)(p * mr));
            if (two)
            {
                high += Vector512.LoadUnsafe(ref packed, (nuint)(p * mr + width));
            }
        }

        low.CopyTo(sums);
        high.CopyTo(sums[width..]);
        return p;
    }

    /// <inheritdoc cref="Vectors512"/>
    private static int Vectors256(ref T packed, int mr, int k, Span<T> sums)
    {
        var (width, two) = (Vector256<T>.Count, mr > Vector256<T>.Count);
        var reach = two ? 2 * width : width;
        Vector256<T> low = Vector256<T>.Zero, high = Vector256<T>.Zero;
        var p = 0;
        for (; (long)p * mr + reach <= (long)k * mr; p++)
        {
            low += Vector256.LoadUnsafe(ref packed, (nuint)(p * mr));
            if (two)
            {
                high += Vector256.LoadUnsafe(ref packed, (nuint)(p * mr + width));
            }
        }

        low.CopyTo(sums);
        high.CopyTo(sums[width..]);
        return p;
    }

    /// <summary>The sums straight from A, for the routes that do not pack it (one row or one k of op(A), no k terms at all).</summary>
    public void FromOperand(bool transA, T[] a, int aOffset, int lda, int m, int k)
    {
        Span<T> row = stackalloc T[1];
        for (var i = 0; i < m; i++)
        {
            var sum = T.Zero;
            for (var p = 0; p < k; p++)
            {
                sum += a[aOffset + (transA ? p * lda + i : i * lda + p)];
            }

            row[0] = sum;
            Store(row, i);
        }
    }

    /// <summary>target += other's target, element by element: the second half of a product split in k.</summary>
    public void Add(ReadOnlySpan<T> second, int m)
    {
        var sums = target.AsSpan(offset, m);
        System.Numerics.Tensors.TensorPrimitives.Add(sums, second[..m], sums);
    }

    private void Store(ReadOnlySpan<T> sums, int firstRow)
    {
        var to = target.AsSpan(offset + firstRow, sums.Length);
        for (var r = 0; r < sums.Length; r++)
        {
            to[r] = beta == T.Zero ? sums[r] : sums[r] + beta * to[r];
        }
    }
}
