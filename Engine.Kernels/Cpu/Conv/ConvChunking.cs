using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// How a convolution's images are grouped: chunks of consecutive images whose im2col columns lie side by
/// side ([C·R·S, images·P·Q]), so each chunk is one larger GEMM instead of one small GEMM per image. The
/// grouping depends on the geometry only, never on the thread count, so the weight gradient (summed per
/// chunk, then over chunks in order) is the same on 1 or N threads.
/// </summary>
internal static class ConvChunking
{
    /// <summary>Column elements per chunk (512 KiB of float32: the columns stay in L2 between im2col and the GEMM).</summary>
    public const int MaxColumnElements = 1 << 17;

    /// <summary>Chunks a batch is cut into at least (when it has that many images), so the threads have work to share.</summary>
    public const int MinChunks = 8;

    public static int ImagesPerChunk(ConvGeometry g)
    {
        var perImage = Math.Max(1L, (long)g.C * g.R * g.S * g.P * g.Q);
        var byMemory = (int)Math.Clamp(MaxColumnElements / perImage, 1, Math.Max(1, g.N));
        var bySplit = (g.N + MinChunks - 1) / MinChunks;
        return Math.Max(1, Math.Min(byMemory, bySplit));
    }

    public static int Chunks(ConvGeometry g, int imagesPerChunk) => (g.N + imagesPerChunk - 1) / imagesPerChunk;

    /// <summary>
    /// into = Σ over the chunks, in chunk order, of partials[chunk·length …]: the same sum on any thread count. The callers'
    /// <paramref name="into"/> is often the first partial itself, which is then not copied onto itself.
    /// </summary>
    public static void SumPartials<T>(ReadOnlySpan<T> partials, int chunks, int length, Span<T> into) where T : unmanaged, INumber<T>
    {
        if (!System.Runtime.CompilerServices.Unsafe.AreSame(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(partials), ref System.Runtime.InteropServices.MemoryMarshal.GetReference(into)))
        {
            partials[..length].CopyTo(into);
        }

        for (var chunk = 1; chunk < chunks; chunk++)
        {
            TensorPrimitives.Add(into[..length], partials.Slice(chunk * length, length), into[..length]);
        }
    }
}
