namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Per-thread, grow-only scratch arrays for the convolution kernels (image columns, a staging copy of
/// the output or of dy, the weight-gradient partials, rearranged weights, a phase-split plane), so a warm call allocates nothing. NOTE: each is
/// kept for the thread's lifetime; a chunk's columns are bounded by
/// <see cref="ConvChunking.MaxColumnElements"/> unless a single image is larger.
/// </summary>
internal static class ConvScratch<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? t_columns;
    [ThreadStatic] private static T[]? t_staging;
    [ThreadStatic] private static T[]? t_partials;
    [ThreadStatic] private static T[]? t_weights;
    [ThreadStatic] private static T[]? t_phases;
    [ThreadStatic] private static T[]? t_directWeights;
    [ThreadStatic] private static T[]? t_padded;
    [ThreadStatic] private static T[]? t_transposed;
    [ThreadStatic] private static T[]? t_pooling;

    public static T[] Columns(int length) => Grow(ref t_columns, length);

    public static T[] Staging(int length) => Grow(ref t_staging, length);

    /// <summary>The weight-gradient partials of every chunk; used by the calling thread only, never inside a chunk.</summary>
    public static T[] Partials(int length) => Grow(ref t_partials, length);

    /// <summary>Rearranged weights (<see cref="FlippedConv"/>); filled by the calling thread before the chunks run, only read inside them.</summary>
    public static T[] Weights(int length) => Grow(ref t_weights, length);

    /// <summary>One channel plane split by column phase (<see cref="ConvPhases"/>), inside im2col or col2im; in <see cref="PhaseDataGradientBody"/>, one image of dx transposed before its copy.</summary>
    public static T[] Phases(int length) => Grow(ref t_phases, length);

    /// <summary>Weights as [C, R·S, K] for <see cref="DirectConv"/>; apart from <see cref="Weights"/>, which may hold its source (a flipped data gradient).</summary>
    public static T[] DirectWeights(int length) => Grow(ref t_directWeights, length);

    /// <summary>A whole batch's zero-padded input planes (<see cref="DirectConv"/>'s weight gradient), filled and read inside one call.</summary>
    public static T[] Padded(int length) => Grow(ref t_padded, length);

    /// <summary>A whole batch's dy as [N, P·Q, K] (<see cref="DirectConv"/>'s weight gradient).</summary>
    public static T[] Transposed(int length) => Grow(ref t_transposed, length);

    /// <summary>A convolution's full-size output or dy next to its pooled form (<see cref="PooledConv"/>): one image's, or one chunk's.</summary>
    public static T[] Pooling(int length) => Grow(ref t_pooling, length);

    private static T[] Grow(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(Math.Max(length, (int)Math.Min(Array.MaxLength, (buffer?.Length ?? 0) * 3L / 2)));
        }

        return buffer;
    }
}
