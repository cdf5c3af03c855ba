using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu;

/// <summary>Software prefetches of data a thread will read soon, spread over the work it does until then.</summary>
internal static class Prefetch
{
    private const int LineBytes = 64;

    /// <summary>
    /// Prefetches slice <paramref name="index"/> of <paramref name="slices"/> equal slices of <paramref name="data"/> into
    /// every cache level, a line at a time (nothing where SSE is absent).
    /// </summary>
    public static unsafe void Slice<T>(ReadOnlySpan<T> data, int index, int slices) where T : unmanaged
    {
        if (!Sse.IsSupported || data.IsEmpty)
        {
            return;
        }

        var (first, last) = Lines((long)data.Length * sizeof(T), index, slices);
        fixed (T* start = &MemoryMarshal.GetReference(data))
        {
            var at = (byte*)start;
            for (var line = first; line < last; line++)
            {
                Sse.Prefetch0(at + line * LineBytes);
            }
        }
    }

    /// <summary>The cache lines [first, last) of slice <paramref name="index"/>: the slices cover all lines of <paramref name="bytes"/>, each once.</summary>
    public static (long First, long Last) Lines(long bytes, int index, int slices)
    {
        var lines = (bytes + LineBytes - 1) / LineBytes;
        return (lines * index / slices, lines * (index + 1) / slices);
    }
}
