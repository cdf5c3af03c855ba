using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Brings the cache lines a kernel is about to write into cache ahead of the writes.
/// Why: a kernel that writes short runs in many planes at once (the pooled convolution writes a row of windows in each
/// of 32 channel planes of values and 32 of codes) outruns the hardware prefetcher's stream tracking, so each first write
/// to a line waits for it from L3; prefetching the next row's lines overlaps those waits with the current row's arithmetic.
/// </summary>
internal static class OutputPrefetch
{
    /// <summary>The lines holding [at, at + length) of each of <paramref name="planes"/> runs <paramref name="stride"/> apart, into L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Runs(float[] target, int at, int length, int planes, int stride)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        fixed (float* start = &target[at])
        {
            for (var j = 0; j < planes; j++)
            {
                var run = start + (nint)j * stride;
                Sse.Prefetch1(run);
                Sse.Prefetch1(run + length - 1);
            }
        }
    }
}
