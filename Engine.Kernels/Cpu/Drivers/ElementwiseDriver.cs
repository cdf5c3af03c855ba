using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu.Drivers;

/// <summary>
/// The loops every elementwise operator runs in: 512-bit vectors while a whole one fits (when the
/// CPU has them), then 256-bit vectors, then single elements. Each output element depends only on
/// its own inputs, so y may be the same span as an input (in place); partial overlap is not allowed.
/// </summary>
internal static class ElementwiseDriver
{
    /// <summary>y[i] = op(x[i]).</summary>
    public static void Unary<T, TOp>(TOp op, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator<T>
    {
        CheckLengths(x.Length, x.Length, y.Length);
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        nuint n = (uint)x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref xs, i)).StoreUnsafe(ref ys, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref xs, i));
        }
    }

    /// <summary>y[i] = op(a[i], b[i]).</summary>
    public static void Binary<T, TOp>(TOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        CheckLengths(a.Length, b.Length, y.Length);
        ref var az = ref MemoryMarshal.GetReference(a);
        ref var bz = ref MemoryMarshal.GetReference(b);
        ref var ys = ref MemoryMarshal.GetReference(y);
        nuint n = (uint)a.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref az, i), Vector512.LoadUnsafe(ref bz, i)).StoreUnsafe(ref ys, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref az, i), Vector256.LoadUnsafe(ref bz, i)).StoreUnsafe(ref ys, i);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref ys, i) = op.Invoke(Unsafe.Add(ref az, i), Unsafe.Add(ref bz, i));
        }
    }

    /// <summary>
    /// Σᵢ op(a[i], b[i]), one partial sum per vector lane, added up at the end (so the rounding
    /// differs from a left-to-right sum by a few ulp of the terms' magnitude).
    /// </summary>
    public static T BinarySum<T, TOp>(TOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        CheckLengths(a.Length, b.Length, a.Length);
        ref var az = ref MemoryMarshal.GetReference(a);
        ref var bz = ref MemoryMarshal.GetReference(b);
        nuint n = (uint)a.Length, i = 0;
        var sum = T.Zero;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            var acc = Vector512<T>.Zero;
            for (; i + (nuint)Vector512<T>.Count <= n; i += (nuint)Vector512<T>.Count)
            {
                acc += op.Invoke(Vector512.LoadUnsafe(ref az, i), Vector512.LoadUnsafe(ref bz, i));
            }

            sum += Vector512.Sum(acc);
        }

        if (Vector256.IsHardwareAccelerated && n - i >= (nuint)Vector256<T>.Count)
        {
            var acc = Vector256<T>.Zero;
            for (; i + (nuint)Vector256<T>.Count <= n; i += (nuint)Vector256<T>.Count)
            {
                acc += op.Invoke(Vector256.LoadUnsafe(ref az, i), Vector256.LoadUnsafe(ref bz, i));
            }

            sum += Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            sum += op.Invoke(Unsafe.Add(ref az, i), Unsafe.Add(ref bz, i));
        }

        return sum;
    }

    private static void CheckLengths(int a, int b, int y)
    {
        if (a != b || a != y)
        {
            ThrowLengths(a, b, y);
        }
    }

    private static void ThrowLengths(int a, int b, int y) =>
        throw new ArgumentException($"Elementwise kernel: lengths differ (inputs {a} and {b}, output {y}).");
}
