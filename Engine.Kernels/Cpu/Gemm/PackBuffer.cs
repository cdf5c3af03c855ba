namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// A per-thread, 64-byte aligned scratch array that only grows (by at least half each time), so
/// packing allocates nothing once the largest GEMM a thread runs has been seen. Pinned, so the
/// alignment holds. NOTE: it is kept for the thread's lifetime: up to ~16 MB of packed A after a
/// very large call (GemmJob bounds a band of packed A to that size).
/// </summary>
internal sealed class PackBuffer<T> where T : unmanaged
{
    [ThreadStatic] private static PackBuffer<T>? t_a;
    [ThreadStatic] private static PackBuffer<T>? t_b;
    [ThreadStatic] private static PackBuffer<T>? t_partial;
    [ThreadStatic] private static PackBuffer<T>? t_rowSums;
    [ThreadStatic] private static PackBuffer<T>? t_channelsLast;
    [ThreadStatic] private static PackBuffer<T>? t_arrangedWeights;

    private T[] _array = [];

    public T[] Array => _array;

    /// <summary>Index of the first 64-byte aligned element.</summary>
    public int Offset { get; private set; }

    /// <summary>The calling thread's buffer for packed A strips.</summary>
    public static PackBuffer<T> ThreadA(int length) => Grow(t_a ??= new PackBuffer<T>(), length);

    /// <summary>The calling thread's buffer for a packed B block.</summary>
    public static PackBuffer<T> ThreadB(int length) => Grow(t_b ??= new PackBuffer<T>(), length);

    /// <summary>The calling thread's buffer for the second half's partial C of a k-split GEMM (<see cref="SplitKGemmJob{T}"/>).</summary>
    public static PackBuffer<T> ThreadPartial(int length) => Grow(t_partial ??= new PackBuffer<T>(), length);

    /// <summary>The calling thread's buffer for the second half's row sums of a k-split GEMM (<see cref="GemmRowSums{T}"/>).</summary>
    public static PackBuffer<T> ThreadRowSums(int length) => Grow(t_rowSums ??= new PackBuffer<T>(), length);

    /// <summary>
    /// The calling thread's buffer for a chunk's padded channels-last input (<see cref="Conv.WinnerWeightGradient"/>) or an
    /// image's padded channels-last dx (<see cref="Conv.WinnerDataGradient"/>): aligned, so with 32 channels every pixel's two
    /// vectors are whole cache lines.
    /// </summary>
    public static PackBuffer<T> ThreadChannelsLast(int length) => Grow(t_channelsLast ??= new PackBuffer<T>(), length);

    /// <summary>The calling thread's buffer for a convolution's rearranged weights, read by every task of the call (<see cref="Conv.WinnerDataGradient"/>).</summary>
    public static PackBuffer<T> ThreadArrangedWeights(int length) => Grow(t_arrangedWeights ??= new PackBuffer<T>(), length);

    private static unsafe PackBuffer<T> Grow(PackBuffer<T> buffer, int length)
    {
        var slack = 64 / sizeof(T);
        if (buffer._array.Length - buffer.Offset < length)
        {
            var grown = Math.Max(length, (int)Math.Min(System.Array.MaxLength - 64, buffer._array.Length * 3L / 2));
            buffer._array = GC.AllocateUninitializedArray<T>(grown + slack, pinned: true);
            fixed (T* first = buffer._array)
            {
                var misalignment = (int)((nuint)first & 63);
                buffer.Offset = misalignment == 0 ? 0 : (64 - misalignment) / sizeof(T);
            }
        }

        return buffer;
    }
}
