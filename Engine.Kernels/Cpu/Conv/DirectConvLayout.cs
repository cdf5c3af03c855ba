using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>The layout moves around <see cref="DirectConv"/>: zero-padded input planes, and NCHW ↔ channels-last per image.</summary>
internal static class DirectConvLayout
{
    /// <summary>Each tap's offset in a zero-padded input plane (<see cref="Pad(ConvGeometry, ReadOnlySpan{float}, Span{float})"/>), row-major over the kernel.</summary>
    public static void Taps(ConvGeometry g, Span<int> taps)
    {
        var wp = g.W + 2 * g.PadW;
        for (var t = 0; t < taps.Length; t++)
        {
            taps[t] = t / g.S * wp + t % g.S;
        }
    }

    /// <summary>One image [C, H, W] into [C, H + 2·PadH, W + 2·PadW] with zeros around it, so the tiles read no bounds.</summary>
    public static void Pad(ConvGeometry g, ReadOnlySpan<float> image, Span<float> padded) =>
        Pad(g, image, padded, g.H + 2 * g.PadH, g.W + 2 * g.PadW);

    /// <summary>One image [C, H, W] into planes of <paramref name="hp"/> × <paramref name="wp"/> at (PadH, PadW), zeros elsewhere.</summary>
    public static void Pad(ConvGeometry g, ReadOnlySpan<float> image, Span<float> padded, int hp, int wp)
    {
        if (image.Length < g.C * g.H * g.W || padded.Length < g.C * hp * wp || hp < g.H + g.PadH || wp < g.W + g.PadW || g.PadH < 0 || g.PadW < 0)
        {
            throw new ArgumentException($"internal: padding {g.C} planes of {g.H}×{g.W} at ({g.PadH}, {g.PadW}) into {hp}×{wp} needs {g.C * g.H * g.W} and {g.C * hp * wp} values; got {image.Length} and {padded.Length}");
        }

        if (Avx512F.IsSupported && wp >= Vector512<float>.Count && wp <= 2 * Vector512<float>.Count)
        {
            PadNarrowRows(g, image, padded, hp, wp);
            return;
        }

        padded[..(g.C * hp * wp)].Clear();
        if (g.W is >= 4 and < 16 && Vector256.IsHardwareAccelerated)
        {
            CopyShortRows(g, image, padded, hp, wp);
            return;
        }

        for (var c = 0; c < g.C; c++)
        {
            for (var h = 0; h < g.H; h++)
            {
                image.Slice((c * g.H + h) * g.W, g.W).CopyTo(padded.Slice((c * hp + h + g.PadH) * wp + g.PadW, g.W));
            }
        }
    }

    /// <summary>
    /// The rows of 4 to 15 values into the cleared planes, each as two vectors of 4 or 8 that overlap in the middle (the
    /// first from the row's start, the second ending at its end), so nothing outside the row is read or written. Why: one
    /// <c>Span.CopyTo</c> per 7-value row (the phase data gradient's 7 × 7 planes) was a call of its own, 6.4 % of IS-NLL
    /// conv's samples under <c>perf</c>.
    /// </summary>
    private static void CopyShortRows(ConvGeometry g, ReadOnlySpan<float> image, Span<float> padded, int hp, int wp)
    {
        ref var source = ref MemoryMarshal.GetReference(image);
        ref var target = ref MemoryMarshal.GetReference(padded);
        var wide = g.W >= 8;
        var tail = (nuint)(g.W - (wide ? 8 : 4));
        for (var c = 0; c < g.C; c++)
        {
            for (var h = 0; h < g.H; h++)
            {
                ref var from = ref Unsafe.Add(ref source, (c * g.H + h) * g.W);
                ref var to = ref Unsafe.Add(ref target, (c * hp + h + g.PadH) * wp + g.PadW);
                if (wide)
                {
                    var (head, end) = (Vector256.LoadUnsafe(ref from), Vector256.LoadUnsafe(ref from, tail));
                    head.StoreUnsafe(ref to);
                    end.StoreUnsafe(ref to, tail);
                }
                else
                {
                    var (head, end) = (Vector128.LoadUnsafe(ref from), Vector128.LoadUnsafe(ref from, tail));
                    head.StoreUnsafe(ref to);
                    end.StoreUnsafe(ref to, tail);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="Pad(ConvGeometry, ReadOnlySpan{float}, Span{float}, int, int)"/> for padded rows of 16 to 32 values, each
    /// built in registers: a masked load of the image row from PadW values before it (the lanes outside the row are
    /// neither read nor faulted on, and come back 0) lands it in place, and whole 16-value stores write the padded row,
    /// zeros included, and the start of the rows after it, which are written next. Only a store that would pass the end
    /// of the planes is masked. Why: a clear of the planes and one <c>Span.CopyTo</c> per row took 6.8 µs per image of
    /// 32 planes of 14 × 14 (the conv VAE's 32 → 64 layer), 0.85 µs this way; 28 × 28 planes padded by 2 (the
    /// hypernetwork's first layer) 0.13 → 0.07 µs. Shorter padded rows are not built this way: with the 9-value rows of
    /// 7 × 7 planes it ran level with per-row copies in cache and 1.3× slower on planes fresh from memory, and with masked
    /// stores 4× slower (rows that straddle cache lines); they take a clear and <see cref="CopyShortRows"/>.
    /// </summary>
    private static unsafe void PadNarrowRows(ConvGeometry g, ReadOnlySpan<float> image, Span<float> padded, int hp, int wp)
    {
        const int width = 16;
        var column = Vector512<int>.Indices;
        var (first, end) = (Vector512.Create(g.PadW), Vector512.Create(g.PadW + g.W));
        var load0 = (Vector512.GreaterThanOrEqual(column, first) & Vector512.LessThan(column, end)).AsSingle();
        var load1 = (Vector512.GreaterThanOrEqual(column + Vector512.Create(width), first) & Vector512.LessThan(column + Vector512.Create(width), end)).AsSingle();
        var two = wp > width;
        var zero = Vector512<float>.Zero;
        fixed (float* source = image, destination = padded)
        {
            var last = destination + (nint)g.C * hp * wp; // one past the planes
            for (var c = 0; c < g.C; c++)
            {
                for (var r = 0; r < hp; r++)
                {
                    var to = destination + ((nint)c * hp + r) * wp;
                    var h = r - g.PadH;
                    var (row0, row1) = (zero, zero);
                    if (h >= 0 && h < g.H)
                    {
                        var from = source + ((nint)c * g.H + h) * g.W - g.PadW; // may point before the image: only the row's lanes are read
                        row0 = Avx512F.MaskLoad(from, load0, zero);
                        row1 = two ? Avx512F.MaskLoad(from + width, load1, zero) : zero;
                    }

                    Store(to, row0, last);
                    if (two)
                    {
                        Store(to + width, row1, last);
                    }
                }
            }
        }

        static void Store(float* to, Vector512<float> row, float* last)
        {
            if (to + width <= last)
            {
                row.Store(to);
            }
            else
            {
                Avx512F.MaskStore(to, Vector512.LessThan(Vector512<int>.Indices, Vector512.Create((int)(last - to))).AsSingle(), row);
            }
        }
    }

    /// <summary>y[k, p] = staged[p, k] + bias[k] for one image (K a multiple of 16), as 16 × 16 register transposes; then max(y, 0) when <paramref name="relu"/>.</summary>
    public static void ToChannelsFirst(ReadOnlySpan<float> staged, int pixels, int channels, ReadOnlySpan<float> bias, Span<float> y, bool relu = false)
    {
        ref var from = ref MemoryMarshal.GetReference(staged);
        ref var to = ref MemoryMarshal.GetReference(y);
        var p = 0;
        for (; p + 16 <= pixels; p += 16)
        {
            GemmPacking.Transpose16(ref Unsafe.Add(ref from, p * channels), channels, channels, ref Unsafe.Add(ref to, p), pixels);
        }

        for (; p < pixels; p++)
        {
            for (var k = 0; k < channels; k++)
            {
                y[k * pixels + p] = staged[p * channels + k];
            }
        }

        if (!bias.IsEmpty)
        {
            for (var k = 0; k < channels; k++)
            {
                var row = y.Slice(k * pixels, pixels);
                TensorPrimitives.Add(row, bias[k], row);
            }
        }

        if (relu)
        {
            ConvLayout.Rectify(y[..(channels * pixels)]);
        }
    }

    /// <summary>to[p, k] = dy[k, p] for one image (K a multiple of 16).</summary>
    public static void ToChannelsLast(ReadOnlySpan<float> dy, int pixels, int channels, Span<float> to)
    {
        ref var from = ref MemoryMarshal.GetReference(dy);
        ref var dest = ref MemoryMarshal.GetReference(to);
        for (var k = 0; k < channels; k += 16)
        {
            GemmPacking.Transpose16(ref Unsafe.Add(ref from, k * pixels), pixels, pixels, ref Unsafe.Add(ref dest, k), channels);
        }
    }
}
