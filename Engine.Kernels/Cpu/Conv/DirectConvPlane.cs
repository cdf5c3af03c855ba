using System.Runtime.CompilerServices;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// One image's output through <see cref="DirectConvTiles.Forward{TStride}"/>: rows × cols pixels of <c>outputs</c> channels
/// (whole vectors) into a [pixel, outputs] staging block. Channel vectors go in pairs along a row; an odd last vector takes
/// two rows at once instead. Tiles cut short by the row's or the image's end are moved back (their overlap is computed
/// twice, to the same values). Shared by the forward pass and the stride-2 data gradient's phases.
/// </summary>
internal static class DirectConvPlane
{
    private const int Width = 16;

    /// <summary>
    /// The image a thread most likely takes after <paramref name="n"/> under <see cref="CpuParallel.ForEach{TBody}"/>, or −1:
    /// images go first come first served, so while this thread works on n the other threads hold the next threads − 1.
    /// A wrong guess costs only the prefetches.
    /// </summary>
    public static int LikelyNext(int n, int threads, int count) => threads > 1 && n + threads < count ? n + threads : -1;

    /// <param name="input">The padded input at output pixel (0, 0)'s first tap; output row r starts <paramref name="rowStep"/>·r later, pixel c at TStride·c.</param>
    /// <param name="plane">Distance between input channels.</param>
    /// <param name="inputs">Input channels.</param>
    /// <param name="taps">Each tap's offset from its pixel's start.</param>
    /// <param name="weights">[inputs, taps, outputs].</param>
    /// <param name="ahead">Data the thread reads next (its next image's input), prefetched a slice after each tile.</param>
    public static void Run<TStride>(
        ref float input, int rowStep, nint plane, int inputs, ReadOnlySpan<int> taps, ref float weights, int outputs,
        int rows, int cols, Span<float> staged, ReadOnlySpan<float> ahead = default)
        where TStride : struct, IColumnStride =>
        Run<TStride>(ref input, rowStep, plane, inputs, taps, ref weights, outputs, rows, cols, staged, outputs, cols * outputs, ahead);

    /// <summary>
    /// As above, with pixel (row, col) staged at <paramref name="staged"/>[row·<paramref name="stagedRow"/> + col·<paramref name="stagedPixel"/>]
    /// (its <paramref name="outputs"/> values contiguous): the stride-2 data gradient stages each phase straight into its
    /// place among the four (every other pixel of every other row).
    /// Why the prefetch: a layer's input was written long before (the previous layer, or the forward pass) and comes from
    /// L3 or memory; padding the next image stalled on it (PadNarrowRows, 8.5 % of the conv VAE step's samples) while the
    /// tiles, busy with L1 data, left the memory system idle.
    /// </summary>
    public static void Run<TStride>(
        ref float input, int rowStep, nint plane, int inputs, ReadOnlySpan<int> taps, ref float weights, int outputs,
        int rows, int cols, Span<float> staged, int stagedPixel, int stagedRow, ReadOnlySpan<float> ahead = default)
        where TStride : struct, IColumnStride
    {
        if (rows > 0 && cols > 0 && (long)(rows - 1) * stagedRow + (long)(cols - 1) * stagedPixel + outputs > staged.Length)
        {
            throw new ArgumentException($"internal: {rows}×{cols} pixels of {outputs} outputs, {stagedPixel} and {stagedRow} apart, do not fit a staging block of {staged.Length}");
        }

        int vectors = outputs / Width, columnTiles = DirectConv.TileCount(DirectConvTiles.Pixels, cols);
        Span<int> kernelRows = stackalloc int[taps.Length / DirectConvRowTile.Width];
        var byRows = TStride.Value == 1 && DirectConvRowTile.TryRows(taps, kernelRows, out _);
        int slices = vectors / 2 * (byRows ? rows : (rows + 1) / 2) * columnTiles, slice = 0; // the tiles of the loop below
        for (var v = 0; v + 1 < vectors; v += 2)
        {
            for (var row = 0; row < rows; row++)
            {
                var pair = !byRows && row + 1 < rows; // two rows a tile (28 accumulators), the last odd row alone
                for (var i = 0; i < columnTiles; i++)
                {
                    var col = DirectConv.TileStart(i, DirectConvTiles.Pixels, cols);
                    ref var start = ref Unsafe.Add(ref input, row * rowStep + col * TStride.Value);
                    ref var to = ref staged[row * stagedRow + col * stagedPixel + v * Width];
                    if (pair)
                    {
                        DirectConvRowPairTile.Forward<TStride>(ref start, rowStep, plane, ref Unsafe.Add(ref weights, v * Width), outputs, inputs, taps, ref to, stagedPixel, stagedRow);
                    }
                    else if (byRows)
                    {
                        DirectConvRowTile.Forward<SharedBroadcastLanes>(ref start, 0, plane, ref Unsafe.Add(ref weights, v * Width), Width, outputs, inputs, kernelRows, ref to, stagedPixel, Width);
                    }
                    else
                    {
                        DirectConvTiles.Forward<TStride, SharedBroadcastLanes>(ref start, 0, plane, ref Unsafe.Add(ref weights, v * Width), Width, outputs, inputs, taps, ref to, stagedPixel, Width);
                    }

                    if (!ahead.IsEmpty && slice < slices)
                    {
                        Prefetch.Slice(ahead, slice++, slices);
                    }
                }

                if (pair)
                {
                    row++;
                }
            }
        }

        if (vectors % 2 == 1)
        {
            var v = vectors - 1;
            for (var j = 0; j < DirectConv.TileCount(2, rows); j++)
            {
                var row = DirectConv.TileStart(j, 2, rows);
                for (var i = 0; i < columnTiles; i++)
                {
                    var col = DirectConv.TileStart(i, DirectConvTiles.Pixels, cols);
                    ref var start = ref Unsafe.Add(ref input, row * rowStep + col * TStride.Value);
                    ref var to = ref staged[row * stagedRow + col * stagedPixel + v * Width];
                    if (byRows)
                    {
                        DirectConvRowTile.Forward<SharedVectorLanes>(ref start, rowStep, plane, ref Unsafe.Add(ref weights, v * Width), 0, outputs, inputs, kernelRows, ref to, stagedPixel, stagedRow);
                    }
                    else
                    {
                        DirectConvTiles.Forward<TStride, SharedVectorLanes>(ref start, rowStep, plane, ref Unsafe.Add(ref weights, v * Width), 0, outputs, inputs, taps, ref to, stagedPixel, stagedRow);
                    }
                }
            }
        }
    }
}
