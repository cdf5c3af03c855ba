using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// A channel plane split by column phase: row h of phase φ holds x[h, φ], x[h, φ + stride], … so the pixels
/// one tap reads along an output row (columns q·stride − pad + s) are contiguous. Why: with stride 2 the
/// im2col lines were strided gathers and the col2im lines strided scatters, element by element; split
/// once per plane (H·W moves), each of the R·S taps then copies or adds whole lines with vectors.
/// Layout: [stride, H, <see cref="Width"/>] (phase-major, so with an even W and stride 2 the split is one
/// even/odd deinterleave of the whole plane); with stride 1 it is the plane itself.
/// </summary>
internal static class ConvPhases
{
    /// <summary>Elements per phase row: the longest phase, ⌈W / stride⌉; also the distance from row h to h + 1.</summary>
    public static int Width(ConvGeometry g) => (g.W + g.StrideW - 1) / g.StrideW;

    public static int PlaneLength(ConvGeometry g) => g.StrideW * g.H * Width(g);

    /// <summary>Where, within phase row 0, tap <paramref name="s"/>'s pixel for output column <paramref name="q"/> lies (q·stride − pad + s must be in [0, W)).</summary>
    public static int Offset(ConvGeometry g, int width, int q, int s)
    {
        var w = q * g.StrideW - g.PadW + s;
        return w % g.StrideW * g.H * width + w / g.StrideW;
    }

    /// <summary>phases[φ, h, j] = plane[h, φ + j·stride].</summary>
    /// <remarks>By reference (both sides are bounds-checked spans of the full length): per-element checks were most of the split's cost.</remarks>
    public static void Split<T>(ConvGeometry g, ReadOnlySpan<T> plane, T[] phases)
    {
        var width = Width(g);
        ref var from = ref MemoryMarshal.GetReference(plane.Slice(0, g.H * g.W));
        ref var to = ref MemoryMarshal.GetReference(phases.AsSpan(0, PlaneLength(g)));
        if (IsEvenPairs<T>(g))
        {
            Deinterleave(ref Unsafe.As<T, float>(ref from), g.H * width, ref Unsafe.As<T, float>(ref to), ref Unsafe.As<T, float>(ref Unsafe.Add(ref to, g.H * width)));
            return;
        }

        for (var phase = 0; phase < g.StrideW; phase++)
        {
            for (var h = 0; h < g.H; h++)
            {
                ref var row = ref Unsafe.Add(ref to, (phase * g.H + h) * width);
                for (int w = phase, j = 0; w < g.W; w += g.StrideW, j++)
                {
                    Unsafe.Add(ref row, j) = Unsafe.Add(ref from, h * g.W + w);
                }
            }
        }
    }

    /// <summary>The inverse of <see cref="Split{T}"/>: plane[h, φ + j·stride] = phases[φ, h, j].</summary>
    public static void Merge<T>(ConvGeometry g, ReadOnlySpan<T> phases, Span<T> plane)
    {
        var width = Width(g);
        ref var from = ref MemoryMarshal.GetReference(phases.Slice(0, PlaneLength(g)));
        ref var to = ref MemoryMarshal.GetReference(plane.Slice(0, g.H * g.W));
        if (IsEvenPairs<T>(g))
        {
            Interleave(ref Unsafe.As<T, float>(ref from), ref Unsafe.As<T, float>(ref Unsafe.Add(ref from, g.H * width)), g.H * width, ref Unsafe.As<T, float>(ref to));
            return;
        }

        for (var phase = 0; phase < g.StrideW; phase++)
        {
            for (var h = 0; h < g.H; h++)
            {
                ref var row = ref Unsafe.Add(ref from, (phase * g.H + h) * width);
                for (int w = phase, j = 0; w < g.W; w += g.StrideW, j++)
                {
                    Unsafe.Add(ref to, h * g.W + w) = Unsafe.Add(ref row, j);
                }
            }
        }
    }

    /// <summary>float32, stride 2 and an even W: the even phase is plane[0::2] of the flattened plane, the odd one plane[1::2].</summary>
    private static bool IsEvenPairs<T>(ConvGeometry g) => typeof(T) == typeof(float) && g.StrideW == 2 && g.W % 2 == 0;

    /// <summary>even[i] = from[2i], odd[i] = from[2i + 1] for i &lt; pairs: each pair is one 64-bit lane, narrowed to its low or high half.</summary>
    internal static void Deinterleave(ref float from, int pairs, ref float even, ref float odd)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= pairs; i += Vector256<float>.Count)
            {
                var a = Vector256.LoadUnsafe(ref from, (nuint)(2 * i)).AsUInt64();
                var b = Vector256.LoadUnsafe(ref from, (nuint)(2 * i + Vector256<float>.Count)).AsUInt64();
                Vector256.Narrow(a, b).AsSingle().StoreUnsafe(ref even, (nuint)i);
                Vector256.Narrow(a >>> 32, b >>> 32).AsSingle().StoreUnsafe(ref odd, (nuint)i);
            }
        }

        for (; i < pairs; i++)
        {
            Unsafe.Add(ref even, i) = Unsafe.Add(ref from, 2 * i);
            Unsafe.Add(ref odd, i) = Unsafe.Add(ref from, 2 * i + 1);
        }
    }

    /// <summary>to[2i] = even[i], to[2i + 1] = odd[i] for i &lt; pairs: each pair built as one 64-bit lane.</summary>
    internal static void Interleave(ref float even, ref float odd, int pairs, ref float to)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= pairs; i += Vector256<float>.Count)
            {
                var (e, o) = (Vector256.LoadUnsafe(ref even, (nuint)i).AsUInt32(), Vector256.LoadUnsafe(ref odd, (nuint)i).AsUInt32());
                (Vector256.WidenLower(e) | (Vector256.WidenLower(o) << 32)).AsSingle().StoreUnsafe(ref to, (nuint)(2 * i));
                (Vector256.WidenUpper(e) | (Vector256.WidenUpper(o) << 32)).AsSingle().StoreUnsafe(ref to, (nuint)(2 * i + Vector256<float>.Count));
            }
        }

        for (; i < pairs; i++)
        {
            Unsafe.Add(ref to, 2 * i) = Unsafe.Add(ref even, i);
            Unsafe.Add(ref to, 2 * i + 1) = Unsafe.Add(ref odd, i);
        }
    }
}
