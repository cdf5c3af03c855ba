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
    /// span slicing cost as much as the copying. With a column stride above 1 each channel plane is first split into
    /// its column phases (<see cref="ConvPhases"/>), so every line is a contiguous copy rather than a strided gather.
    /// Safe by construction: only pixels with 0 ≤ h &lt; H and 0 ≤ w &lt; W of the (bounds-checked) image span, or
    /// their places in the phase plane, are read, and only the chunk's column rows are written.</remarks>
    public static void Im2Col<T>(ConvGeometry g, ReadOnlySpan<T> image, T[] col, int column, int rowStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.StrideH == 1 && g.StrideW == 1 && g.Q == g.W)
        {
            Im2ColShifted(g, image, col, column, rowStride);
            return;
        }

        if (typeof(T) == typeof(float) && FitsPadded(g))
        {
            Im2ColPadded(g, MemoryMarshal.Cast<T, float>(image), Unsafe.As<float[]>(col), column, rowStride);
            return;
        }

        var phased = g.StrideW > 1;
        var phases = phased ? ConvScratch<T>.Phases(ConvPhases.PlaneLength(g)) : null;
        var line = ConvPhases.Width(g); // phase rows (or image rows, stride 1) lie this far apart
        ref var columns = ref MemoryMarshal.GetArrayDataReference(col);
        for (var c = 0; c < g.C; c++)
        {
            var channel = image.Slice(c * g.H * g.W, g.H * g.W);
            if (phased)
            {
                ConvPhases.Split(g, channel, phases!);
            }

            ref var plane = ref phased ? ref MemoryMarshal.GetArrayDataReference(phases!) : ref MemoryMarshal.GetReference(channel);
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    ref var row = ref Unsafe.Add(ref columns, ((c * g.R + r) * g.S + s) * rowStride + column);
                    var (qLo, qHi) = ValidColumns(g, s);
                    var at = ConvPhases.Offset(g, line, qLo, s); // where the tap's first valid column lies in a plane row
                    for (var p = 0; p < g.P; p++)
                    {
                        ref var target = ref Unsafe.Add(ref row, p * g.Q);
                        var h = p * g.StrideH - g.PadH + r;
                        if ((uint)h >= (uint)g.H || qLo >= qHi)
                        {
                            ConvLines.Clear(ref target, g.Q);
                            continue;
                        }

                        for (var q = 0; q < qLo; q++)
                        {
                            Unsafe.Add(ref target, q) = T.Zero;
                        }

                        for (var q = qHi; q < g.Q; q++)
                        {
                            Unsafe.Add(ref target, q) = T.Zero;
                        }

                        ConvLines.Copy(ref Unsafe.Add(ref plane, h * line + at), ref Unsafe.Add(ref target, qLo), qHi - qLo);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Stride 1 or 2 along columns (an even padded width for 2), any row stride, and every tap of every output inside the
    /// zero-padded image: <see cref="Im2ColPadded"/>'s conditions.
    /// </summary>
    private static bool FitsPadded(ConvGeometry g)
    {
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW;
        return g.PadH >= 0 && g.PadW >= 0 && g.StrideH >= 1 && (g.StrideW == 1 || g.StrideW == 2 && wp % 2 == 0)
            && (long)(g.P - 1) * g.StrideH + g.R <= hp && (long)(g.Q - 1) * g.StrideW + g.S <= wp;
    }

    /// <summary>
    /// <see cref="Im2Col{T}"/> (float32) from the image zero-padded once (and, at column stride 2, split into its even and odd
    /// padded columns): every tap's line is then Q consecutive values at a fixed offset, copied with no bounds, no valid-column
    /// range and no zero fill per line. Why: the conv VAE's 32 → 64 stride-2 weight gradient spent as long in the per-line
    /// bookkeeping of im2col (201,600 lines of 7 floats per call) as in its GEMM.
    /// </summary>
    private static void Im2ColPadded(ConvGeometry g, ReadOnlySpan<float> image, float[] col, int column, int rowStride)
    {
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, planes = g.C * hp * wp;
        var scratch = ConvScratch<float>.Phases(2 * planes);
        DirectConvLayout.Pad(g, image, scratch.AsSpan(0, planes), hp, wp);
        ref var padded = ref MemoryMarshal.GetArrayDataReference(scratch);
        var phased = g.StrideW == 2;
        var width = phased ? wp / 2 : wp; // a padded row of one phase
        ref var source = ref padded;
        if (phased)
        {
            // even padded columns to [planes / 2], odd ones after them: row h of channel c at (c·hp + h)·width in each
            ConvPhases.Deinterleave(ref padded, planes / 2, ref Unsafe.Add(ref padded, planes), ref Unsafe.Add(ref padded, planes + planes / 2));
            source = ref Unsafe.Add(ref padded, planes);
        }

        var phasePlanes = phased ? planes / 2 : 0;
        nint rowStep = (nint)g.StrideH * width;
        ref var columns = ref MemoryMarshal.GetArrayDataReference(col);
        for (var c = 0; c < g.C; c++)
        {
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    ref var row = ref Unsafe.Add(ref columns, ((c * g.R + r) * g.S + s) * rowStride + column);
                    var (phase, offset) = phased ? (s % 2, s / 2) : (0, s);
                    ref var from = ref Unsafe.Add(ref source, phase * phasePlanes + (c * hp + r) * width + offset);
                    for (var p = 0; p < g.P; p++)
                    {
                        ConvLines.Copy(ref Unsafe.Add(ref from, p * rowStep), ref Unsafe.Add(ref row, p * g.Q), g.Q);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Im2Col{T}"/> for stride 1 with as many output as input columns (SAME padding): a tap's column row
    /// is then the whole channel plane shifted by the constant (r − padH)·W + (s − padW), so it is one bulk copy of
    /// P·Q elements (rows above or below the image cleared) after which the |s − padW| columns per row that the shift
    /// wrapped in from the neighbouring image row are cleared. The hypernetwork's 5×5 SAME layers had 14-element
    /// lines: one copy call per line cost more than the copying.
    /// </summary>
    /// <remarks>Reads only [0, H·W) of the (bounds-checked) plane: the copied run is clamped to it and whatever the
    /// clamp leaves out lies in cleared rows or wrapped columns.</remarks>
    private static void Im2ColShifted<T>(ConvGeometry g, ReadOnlySpan<T> image, T[] col, int column, int rowStride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.H * g.W, pq = g.P * g.Q;
        for (var c = 0; c < g.C; c++)
        {
            var channel = image.Slice(c * plane, plane);
            for (var r = 0; r < g.R; r++)
            {
                var pLo = Math.Clamp(g.PadH - r, 0, g.P);       // first output row whose input row h = p − padH + r ≥ 0
                var pHi = Math.Clamp(g.H + g.PadH - r, pLo, g.P); // one past the last with h < H
                for (var s = 0; s < g.S; s++)
                {
                    var row = col.AsSpan(((c * g.R + r) * g.S + s) * rowStride + column, pq);
                    var d = s - g.PadW;
                    var shift = (r - g.PadH) * g.W + d;
                    int start = pLo * g.Q, end = pHi * g.Q;
                    var lo = Math.Clamp(-shift, start, end);            // source index t + shift must be ≥ 0 …
                    var hi = Math.Clamp(plane - shift, lo, end);        // … and < H·W
                    row[..lo].Clear();
                    channel.Slice(lo + shift, hi - lo).CopyTo(row[lo..hi]);
                    row[hi..].Clear();
                    var (qLo, qHi) = (Math.Clamp(-d, 0, g.Q), Math.Clamp(g.Q - d, 0, g.Q)); // columns whose w = q + d lies in [0, W)
                    if (qLo == 0 && qHi == g.Q)
                    {
                        continue;
                    }

                    // the 1–2 wrapped elements per row by reference: a Span.Clear call each cost more than the bulk copy
                    ref var first = ref MemoryMarshal.GetReference(row);
                    for (var p = pLo; p < pHi; p++)
                    {
                        ref var line = ref Unsafe.Add(ref first, p * g.Q);
                        for (var q = 0; q < qLo; q++)
                        {
                            Unsafe.Add(ref line, q) = T.Zero;
                        }

                        for (var q = qHi; q < g.Q; q++)
                        {
                            Unsafe.Add(ref line, q) = T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col{T}"/>, written (not added) into the image: each channel plane (or, with a
    /// column stride above 1, its phase plane, <see cref="ConvPhases"/>) is cleared just before it receives its
    /// column entries (it is then in L1), so no separate pass clears the whole image first; every pixel sums its
    /// entries in (r, s) order, so the phase plane changes where a sum is kept, not its value.
    /// </summary>
    public static void Col2Im<T>(ConvGeometry g, T[] col, int column, int rowStride, Span<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var phased = g.StrideW > 1;
        var planeLength = phased ? ConvPhases.PlaneLength(g) : g.H * g.W;
        var phases = phased ? ConvScratch<T>.Phases(planeLength) : null;
        var line = ConvPhases.Width(g); // phase rows (or image rows, stride 1) lie this far apart
        ref var columns = ref MemoryMarshal.GetArrayDataReference(col);
        for (var c = 0; c < g.C; c++)
        {
            var channel = image.Slice(c * g.H * g.W, g.H * g.W);
            var sums = phased ? phases.AsSpan(0, planeLength) : channel;
            sums.Clear();
            ref var plane = ref MemoryMarshal.GetReference(sums);
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    ref var row = ref Unsafe.Add(ref columns, ((c * g.R + r) * g.S + s) * rowStride + column);
                    var (qLo, qHi) = ValidColumns(g, s);
                    if (qLo >= qHi)
                    {
                        continue;
                    }

                    var at = ConvPhases.Offset(g, line, qLo, s);
                    for (var p = 0; p < g.P; p++)
                    {
                        var h = p * g.StrideH - g.PadH + r;
                        if ((uint)h < (uint)g.H)
                        {
                            ConvLines.Add(ref Unsafe.Add(ref plane, h * line + at), ref Unsafe.Add(ref row, p * g.Q + qLo), qHi - qLo);
                        }
                    }
                }
            }

            if (phased)
            {
                ConvPhases.Merge(g, sums, channel);
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
        var kpq = g.K * g.P * g.Q;
        for (var i = 0; i < count; i++)
        {
            AddChannelBias<T>(y.Slice(i * kpq, kpq), g.K, g.P * g.Q, bias);
        }
    }

    /// <summary>
    /// values = max(values, 0), NaN kept, by <see cref="UnaryOp.Relu"/>'s own kernel: the ReLU a convolution's caller asks
    /// for, applied by each route to the image or chunk it has just written, while it is in cache. Why: as a separate pass
    /// over the whole output (25 MB per call in the IS-NLL conv decoder), it took about 5 % of IS-NLL conv under <c>perf</c>.
    /// </summary>
    public static void Rectify<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> =>
        UnaryKernels.Forward(UnaryOp.Relu, values, values, T.Zero, T.Zero);

    /// <summary>Adds bias[c] to every element of plane c of one image [channels, plane].</summary>
    public static void AddChannelBias<T>(Span<T> image, int channels, int plane, ReadOnlySpan<T> bias) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var c = 0; c < channels; c++)
        {
            var values = image.Slice(c * plane, plane);
            TensorPrimitives.Add(values, bias[c], values);
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
