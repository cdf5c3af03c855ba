using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// Weight gradient through channels-last rows ("im2row") for layers with many input channels. Per chunk of images, x is
/// transposed once into zero-padded [image, H + 2·padH, W + 2·padW, C] planes; then an output pixel's row of the GEMM
/// operand, [(r, s, c)], is R copies of S·C consecutive values, and dw' [K, (r, s, c)] = dy [K, pixels] · rows
/// [pixels, (r, s, c)] is one GEMM whose B needs no transposition. The chunks' dw' are summed in order and turned into
/// [K, C, R, S] once.
/// Why: im2col's [C·R·S, pixels] columns, the route before, copy one short line per tap and output row (7 floats in
/// the conv VAE's 32 → 64 stride-2 layer), and the GEMM then packs them transposed. Under <c>perf</c> that layer's
/// weight gradient spent 32 % of its time in the GEMM's multiply-adds and about as much in im2col, its phase split and
/// the transposing pack. Here every copy is S·C values long (96 floats there) and the packing is a plain copy.
/// </summary>
internal static class ChannelsLastWeightGradient
{
    /// <summary>Input channels from which this route is taken: with fewer, a row's copies are too short to beat im2col's lines.</summary>
    public const int MinChannels = 16;

    /// <summary>Many input channels, and every tap of every output pixel inside the zero-padded input.</summary>
    public static bool Applies(ConvGeometry g) =>
        g.C >= MinChannels && g.N > 0 && g.StrideH >= 1 && g.StrideW >= 1 && g.PadH >= 0 && g.PadW >= 0 && g.P > 0 && g.Q > 0
        && (long)(g.P - 1) * g.StrideH + g.R <= g.H + 2L * g.PadH && (long)(g.Q - 1) * g.StrideW + g.S <= g.W + 2L * g.PadW;

    /// <summary>dw (not the bias gradient); summed per chunk of images, then over the chunks in order, so the result does not depend on the thread count.</summary>
    public static void Run<T>(ConvGeometry g, T[] x, int xo, T[] dy, int dyo, T[] dw, int dwo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var images = ConvChunking.ImagesPerChunk(g);
        var chunks = ConvChunking.Chunks(g, images);
        var kcrs = g.WeightLength;
        var partials = ConvScratch<T>.Partials(chunks * kcrs); // [chunk][K, R·S, C]
        CpuParallel.ForEach(workers, chunks, new ChannelsLastWeightBody<T>(g, images, x, xo, dy, dyo, partials));
        var sum = partials.AsSpan(0, kcrs); // [K, R·S, C], summed in place over chunk 0
        ConvChunking.SumPartials(partials, chunks, kcrs, sum);
        LayoutKernels.Transpose<T>(sum, g.K, g.R * g.S, g.C, dw.AsSpan(dwo, kcrs));
    }

    /// <summary>
    /// One chunk's images of x as zero-padded channels-last planes: to[((i·hp + y)·wp + x)·C + c], hp = H + 2·padH and
    /// wp = W + 2·padW.
    /// </summary>
    public static void PadChannelsLast<T>(ConvGeometry g, ReadOnlySpan<T> images, int count, Span<T> to) where T : unmanaged
    {
        int hw = g.H * g.W, chw = g.C * hw, hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, rowLength = wp * g.C;
        var transposed = ConvScratch<T>.Transposed(hw * g.C);
        for (var i = 0; i < count; i++)
        {
            ToChannelsLast(images.Slice(i * chw, chw), hw, g.C, transposed);
            var plane = to.Slice(i * hp * rowLength, hp * rowLength);
            plane[..(g.PadH * rowLength)].Clear();
            for (var y = 0; y < g.H; y++)
            {
                var row = plane.Slice((g.PadH + y) * rowLength, rowLength);
                row[..(g.PadW * g.C)].Clear();
                transposed.AsSpan(y * g.W * g.C, g.W * g.C).CopyTo(row[(g.PadW * g.C)..]);
                row[((g.PadW + g.W) * g.C)..].Clear();
            }

            plane[((g.PadH + g.H) * rowLength)..].Clear();
        }
    }

    /// <summary>
    /// rows[((i·P + p)·Q + q)·R·S·C + (r·S + s)·C + c] = padded[((i·hp + p·strideH + r)·wp + q·strideW + s)·C + c]: for
    /// each output pixel and kernel row, the S·C values from one place.
    /// </summary>
    public static void Rows<T>(ConvGeometry g, ReadOnlySpan<T> padded, int count, Span<T> rows) where T : unmanaged
    {
        int hp = g.H + 2 * g.PadH, wp = g.W + 2 * g.PadW, line = g.S * g.C, rsc = g.R * line;
        // the copies below are unchecked: every source and destination must lie inside the spans
        if (padded.Length < (long)count * hp * wp * g.C || rows.Length < (long)count * g.P * g.Q * rsc || !Applies(g))
        {
            throw new ArgumentException($"internal: channels-last rows of {count} images of {g} need {count * hp * wp * g.C} padded and {count * g.P * g.Q * rsc} row values; got {padded.Length} and {rows.Length}");
        }

        ref var from = ref MemoryMarshal.GetReference(padded);
        ref var to = ref MemoryMarshal.GetReference(rows);
        nint at = 0;
        for (var i = 0; i < count; i++)
        {
            for (var p = 0; p < g.P; p++)
            {
                for (var q = 0; q < g.Q; q++)
                {
                    for (var r = 0; r < g.R; r++)
                    {
                        var source = ((nint)(i * hp + p * g.StrideH + r) * wp + q * g.StrideW) * g.C;
                        ConvLines.Copy(ref Unsafe.Add(ref from, source), ref Unsafe.Add(ref to, at + r * line), line);
                    }

                    at += rsc;
                }
            }
        }
    }

    /// <summary>to[p·C + c] = image[c·pixels + p]: by 16 × 16 register transposes when float32 with AVX-512 and C a multiple of 16.</summary>
    private static void ToChannelsLast<T>(ReadOnlySpan<T> image, int pixels, int channels, T[] to) where T : unmanaged
    {
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && channels % 16 == 0)
        {
            DirectConvLayout.ToChannelsLast(MemoryMarshal.Cast<T, float>(image), pixels, channels, MemoryMarshal.Cast<T, float>(to.AsSpan(0, pixels * channels)));
        }
        else
        {
            LayoutKernels.Transpose(image, 1, channels, pixels, to.AsSpan(0, pixels * channels));
        }
    }
}

/// <summary>One chunk's dw' [K, R·S·C] = dy [K, pixels] · rows [pixels, R·S·C], into its slot of the partials.</summary>
internal readonly struct ChannelsLastWeightBody<T>(ConvGeometry g, int imagesPerChunk, T[] x, int xo, T[] dy, int dyo, T[] partials) : IRangeBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end)
    {
        int rsc = g.R * g.S * g.C, pq = g.P * g.Q, chw = g.C * g.H * g.W;
        var planeLength = (g.H + 2 * g.PadH) * (g.W + 2 * g.PadW) * g.C;
        // scratch for a whole chunk up front: chunks are claimed first come first served, so a thread whose first chunk is
        // the short last one would otherwise grow its buffers later, after warm-up (77 bytes per call on average, seen once)
        ConvScratch<T>.Padded(imagesPerChunk * planeLength);
        ConvScratch<T>.Columns(imagesPerChunk * pq * rsc);
        ConvScratch<T>.Staging(imagesPerChunk * g.K * pq);
        GemmKernel.Reserve<T>(g.K, imagesPerChunk * pq);
        for (var chunk = start; chunk < end; chunk++)
        {
            var images = ImageChunk.Of(g, imagesPerChunk, chunk);
            var pixels = images.Count * pq;
            var padded = ConvScratch<T>.Padded(images.Count * planeLength);
            ChannelsLastWeightGradient.PadChannelsLast<T>(g, x.AsSpan(xo + images.First * chw, images.Count * chw), images.Count, padded);
            var rows = ConvScratch<T>.Columns(pixels * rsc);
            ChannelsLastWeightGradient.Rows<T>(g, padded, images.Count, rows);
            var (gradient, at) = images.ByChannel(g, dy, dyo);
            GemmKernel.Run(false, false, g.K, rsc, pixels, T.One, gradient, at, pixels, rows, 0, rsc, T.Zero, partials, chunk * g.WeightLength, rsc, workers: null);
        }
    }
}
