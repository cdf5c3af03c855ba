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
        var width = Vector512<T>.Count;
        Span<T> sums = stackalloc T[Math.Max(mr, width)];
        var p = 0;
        if (Vector512.IsHardwareAccelerated && mr <= width)
        {
            // a vector from each p's start: its lanes past mr belong to the next p and are dropped; it stops where the
            // vector would read past the strip, the last few p go lane by lane after it
            var acc = Vector512<T>.Zero;
            for (; (long)p * mr + width <= (long)k * mr; p++)
            {
                acc += Vector512.LoadUnsafe(ref packed, (nuint)(p * mr));
            }

            acc.CopyTo(sums);
        }
        else
        {
            sums.Clear();
        }

        for (; p < k; p++)
        {
            for (var r = 0; r < rows; r++)
            {
                sums[r] += Unsafe.Add(ref packed, p * mr + r);
            }
        }

        Store(sums[..rows], firstRow);
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
