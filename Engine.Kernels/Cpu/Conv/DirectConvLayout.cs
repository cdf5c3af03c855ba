using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
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
        padded[..(g.C * hp * wp)].Clear();
        for (var c = 0; c < g.C; c++)
        {
            for (var h = 0; h < g.H; h++)
            {
                image.Slice((c * g.H + h) * g.W, g.W).CopyTo(padded.Slice((c * hp + h + g.PadH) * wp + g.PadW, g.W));
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
