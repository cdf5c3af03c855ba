using System.Numerics;
using System.Runtime.CompilerServices;

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
        var width = Vector<T>.Count;
        Span<T> sums = stackalloc T[Math.Max(mr, 2 * width)]; // starts at 0 (no SkipLocalsInit here), as the lane-by-lane sums need
        var p = Vector.IsHardwareAccelerated && mr <= 2 * width ? Vectors(ref packed, mr, k, sums) : 0;

        // the p a vector would read past the strip for (every p without vectors), lane by lane: each lane still adds its
        // values in order of p
        for (; p < k; p++)
        {
            for (var r = 0; r < rows; r++)
            {
                sums[r] += Unsafe.Add(ref packed, p * mr + r);
            }
        }

        for (var r = 0; r < rows; r++)
        {
            Store(firstRow + r, sums[r]);
        }
    }

    /// <summary>The sums straight from A, for the routes that do not pack it (one row or one k of op(A), no k terms at all).</summary>
    public void FromOperand(bool transA, T[] a, int aOffset, int lda, int m, int k)
    {
        for (var i = 0; i < m; i++)
        {
            var sum = T.Zero;
            for (var p = 0; p < k; p++)
            {
                sum += a[aOffset + (transA ? p * lda + i : i * lda + p)];
            }

            Store(i, sum);
        }
    }

    /// <summary>target += <paramref name="second"/> element by element: the second half's sums of a product split in k.</summary>
    public void Add(ReadOnlySpan<T> second)
    {
        var sums = target.AsSpan(offset, second.Length);
        System.Numerics.Tensors.TensorPrimitives.Add(sums, second, sums);
    }

    /// <summary>
    /// Lane r of one or two vectors loaded from each p's start sums row r (lanes past mr hold the next p's values and are
    /// dropped), for the p whose vectors stay inside the strip; writes all lanes to <paramref name="sums"/> and returns the
    /// first p left over.
    /// </summary>
    private static int Vectors(ref T packed, int mr, int k, Span<T> sums)
    {
        var (width, two) = (Vector<T>.Count, mr > Vector<T>.Count);
        var reach = two ? 2 * width : width;
        Vector<T> low = Vector<T>.Zero, high = Vector<T>.Zero;
        var p = 0;
        for (; (long)p * mr + reach <= (long)k * mr; p++)
        {
            low += Vector.LoadUnsafe(ref packed, (nuint)(p * mr));
            if (two)
            {
                high += Vector.LoadUnsafe(ref packed, (nuint)(p * mr + width));
            }
        }

        low.CopyTo(sums);
        high.CopyTo(sums[width..]);
        return p;
    }

    private void Store(int row, T sum)
    {
        ref var to = ref target[offset + row];
        to = beta == T.Zero ? sum : sum + beta * to;
    }
}
