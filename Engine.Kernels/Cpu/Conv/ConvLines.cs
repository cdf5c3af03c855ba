using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Copy, clear and add on the short contiguous lines of im2col and col2im (one output row of one tap:
/// 7–28 elements in the conv VAE and the hypernetwork), inline by reference: a Memmove or span call per
/// line cost more than the line's data movement.
/// </summary>
internal static class ConvLines
{
    /// <summary>to[j] = from[j] for j &lt; length, by overlapping vectors; the runs must not overlap.</summary>
    /// <remarks>Inline instead of a Memmove call: the lines are 7–28 elements, so the call's fixed cost was most of the
    /// copy (the hypernetwork's 32→16 layer copies 25 lines of 14 floats per channel and image).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T>(ref T from, ref T to, int length) where T : unmanaged
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

    /// <summary>line[j] = 0 for j &lt; length, by overlapping vectors (short lines, as <see cref="Copy{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear<T>(ref T line, int length) where T : unmanaged
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

    /// <summary>target[j] += from[j] for j &lt; length: whole vectors, then single elements (each element one add, so
    /// the result is that of the scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(ref T target, ref T from, int length) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j + Vector256<T>.Count <= length; j += Vector256<T>.Count)
            {
                (Vector256.LoadUnsafe(ref target, (nuint)j) + Vector256.LoadUnsafe(ref from, (nuint)j)).StoreUnsafe(ref target, (nuint)j);
            }
        }

        if (Vector128.IsHardwareAccelerated && j + Vector128<T>.Count <= length)
        {
            (Vector128.LoadUnsafe(ref target, (nuint)j) + Vector128.LoadUnsafe(ref from, (nuint)j)).StoreUnsafe(ref target, (nuint)j);
            j += Vector128<T>.Count;
        }

        for (; j < length; j++)
        {
            Unsafe.Add(ref target, j) += Unsafe.Add(ref from, j);
        }
    }
}
