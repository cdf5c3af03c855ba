using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// The data movement around the convolution GEMMs. A chunk's images lie side by side: image i of the
/// chunk owns columns [i·P·Q, (i + 1)·P·Q) of a matrix whose rows are <c>rowStride</c> long.
/// </summary>
internal static class ConvLayout
{
    /// <summary>col[(c·R + r)·S + s, column + p·Q + q] = x[c, p·stride − pad + r, q·stride − pad + s] (0 outside).</summary>
    /// <remarks>By reference, without bounds checks: the lines are short (Q = 7 or 14 in the conv VAE), so per-line
    /// span slicing cost as much as the copying. Safe by construction: only pixels with 0 ≤ h &lt; H and
    /// 0 ≤ w &lt; W of the (bounds-checked) image span are read, and only the chunk's column rows are written.</remarks>
    public static void Im2Col<T>(ConvGeometry g, ReadOnlySpan<T> image, T[] col, int column, int rowStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var source = ref MemoryMarshal.GetReference(image);
        ref var columns = ref MemoryMarshal.GetArrayDataReference(col);
        for (var c = 0; c < g.C; c++)
        {
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    ref var row = ref Unsafe.Add(ref columns, ((c * g.R + r) * g.S + s) * rowStride + column);
                    var (qLo, qHi) = ValidColumns(g, s);
                    for (var p = 0; p < g.P; p++)
                    {
                        ref var line = ref Unsafe.Add(ref row, p * g.Q);
                        var h = p * g.StrideH - g.PadH + r;
                        if ((uint)h >= (uint)g.H || qLo >= qHi)
                        {
                            ClearLine(ref line, g.Q);
                            continue;
                        }

                        for (var q = 0; q < qLo; q++)
                        {
                            Unsafe.Add(ref line, q) = T.Zero;
                        }

                        for (var q = qHi; q < g.Q; q++)
                        {
                            Unsafe.Add(ref line, q) = T.Zero;
                        }

                        ref var from = ref Unsafe.Add(ref source, (c * g.H + h) * g.W + qLo * g.StrideW - g.PadW + s);
                        if (g.StrideW == 1)
                        {
                            CopyLine(ref from, ref Unsafe.Add(ref line, qLo), qHi - qLo);
                        }
                        else
                        {
                            for (int q = qLo, w = 0; q < qHi; q++, w += g.StrideW)
                            {
                                Unsafe.Add(ref line, q) = Unsafe.Add(ref from, w);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>to[j] = from[j] for j &lt; length, by overlapping vectors; the runs must not overlap.</summary>
    /// <remarks>Inline instead of a Memmove call: the lines are 7–28 elements, so the call's fixed cost was most of the
    /// copy (the hypernetwork's 32→16 layer copies 25 lines of 14 floats per channel and image).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyLine<T>(ref T from, ref T to, int length) where T : unmanaged
    {
        if (Vector256.IsHardwareAccelerated && length >= Vector256<T>.Count)
        {
            var last = (nuint)(length - Vector256<T>.Count);
            for (nuint j = 0; j < last; j += (nuint)Vector256<T>.Count)
            {
                Vector256.LoadUnsafe(ref from, j).StoreUnsafe(ref to, j);
            }

            Vector256.LoadUnsafe(ref from, last).StoreUnsafe(ref to, last);
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<T>.Count)
        {
            var last = (nuint)(length - Vector128<T>.Count);
            for (nuint j = 0; j < last; j += (nuint)Vector128<T>.Count)
            {
                Vector128.LoadUnsafe(ref from, j).StoreUnsafe(ref to, j);
            }

            Vector128.LoadUnsafe(ref from, last).StoreUnsafe(ref to, last);
        }
        else
        {
            for (var j = 0; j < length; j++)
            {
                Unsafe.Add(ref to, j) = Unsafe.Add(ref from, j);
            }
        }
    }

    /// <summary>line[j] = 0 for j &lt; length, by overlapping vectors (short lines, as <see cref="CopyLine{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClearLine<T>(ref T line, int length) where T : unmanaged
    {
        if (Vector256.IsHardwareAccelerated && length >= Vector256<T>.Count)
        {
            var last = (nuint)(length - Vector256<T>.Count);
            for (nuint j = 0; j < last; j += (nuint)Vector256<T>.Count)
            {
                Vector256<T>.Zero.StoreUnsafe(ref line, j);
            }

            Vector256<T>.Zero.StoreUnsafe(ref line, last);
        }
        else
        {
            MemoryMarshal.CreateSpan(ref line, length).Clear();
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col{T}"/>, written (not added) into the image: each channel plane is
    /// cleared just before it receives its column entries (it is then in L1), so no separate pass clears
    /// the whole image first; every pixel sums its entries in (r, s) order.
    /// </summary>
    public static void Col2Im<T>(ConvGeometry g, T[] col, int column, int rowStride, Span<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var columns = ref MemoryMarshal.GetArrayDataReference(col);
        ref var pixels = ref MemoryMarshal.GetReference(image);
        for (var c = 0; c < g.C; c++)
        {
            ref var plane = ref Unsafe.Add(ref pixels, c * g.H * g.W);
            MemoryMarshal.CreateSpan(ref plane, g.H * g.W).Clear();
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    ref var row = ref Unsafe.Add(ref columns, ((c * g.R + r) * g.S + s) * rowStride + column);
                    var (qLo, qHi) = ValidColumns(g, s);
                    for (var p = 0; p < g.P; p++)
                    {
                        var h = p * g.StrideH - g.PadH + r;
                        if ((uint)h >= (uint)g.H)
                        {
                            continue;
                        }

                        ref var target = ref Unsafe.Add(ref plane, h * g.W + qLo * g.StrideW - g.PadW + s);
                        ref var line = ref Unsafe.Add(ref row, p * g.Q);
                        for (int q = qLo, w = 0; q < qHi; q++, w += g.StrideW)
                        {
                            Unsafe.Add(ref target, w) += Unsafe.Add(ref line, q);
                        }
                    }
                }
            }
        }
    }

    /// <summary>dy of <paramref name="count"/> images [count, K, P·Q] as [K, count·P·Q] (images side by side).</summary>
    public static void ByChannel<T>(ConvGeometry g, ReadOnlySpan<T> dy, int count, Span<T> byChannel) where T : unmanaged
    {
        var pq = g.P * g.Q;
        var columns = count * pq;
        for (var i = 0; i < count; i++)
        {
            for (var k = 0; k < g.K; k++)
            {
                dy.Slice((i * g.K + k) * pq, pq).CopyTo(byChannel.Slice(k * columns + i * pq, pq));
            }
        }
    }

    /// <summary>The inverse of <see cref="ByChannel{T}"/>, adding bias[k] to channel k when a bias is given.</summary>
    public static void ByImage<T>(ConvGeometry g, ReadOnlySpan<T> byChannel, int count, ReadOnlySpan<T> bias, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pq = g.P * g.Q;
        var columns = count * pq;
        for (var i = 0; i < count; i++)
        {
            for (var k = 0; k < g.K; k++)
            {
                var from = byChannel.Slice(k * columns + i * pq, pq);
                var to = y.Slice((i * g.K + k) * pq, pq);
                if (bias.IsEmpty)
                {
                    from.CopyTo(to);
                }
                else
                {
                    TensorPrimitives.Add(from, bias[k], to);
                }
            }
        }
    }

    /// <summary>Adds bias[k] to every output pixel of channel k of <paramref name="count"/> images.</summary>
    public static void AddBias<T>(ConvGeometry g, Span<T> y, int count, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pq = g.P * g.Q;
        for (var i = 0; i < count; i++)
        {
            for (var k = 0; k < g.K; k++)
            {
                var plane = y.Slice((i * g.K + k) * pq, pq);
                TensorPrimitives.Add(plane, bias[k], plane);
            }
        }
    }

    /// <summary>Output columns [qLo, qHi) whose tap s reads inside the image: 0 ≤ q·stride − pad + s &lt; W.</summary>
    /// <remarks>By stepping, not dividing: it runs per tap, and the steps are the few columns that overhang the padding.</remarks>
    private static (int Lo, int Hi) ValidColumns(ConvGeometry g, int s)
    {
        var lo = 0;
        while (lo < g.Q && lo * g.StrideW - g.PadW + s < 0)
        {
            lo++;
        }

        var hi = g.Q;
        while (hi > lo && (hi - 1) * g.StrideW - g.PadW + s >= g.W)
        {
            hi--;
        }

        return (lo, hi);
    }
}
