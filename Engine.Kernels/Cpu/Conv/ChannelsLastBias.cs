using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// A convolution's bias gradient summed from the channels-last blocks ([row, K]) its weight-gradient route has just built
/// for a chunk of images, while they are in cache. Why: the separate pass (<see cref="PoolArgmaxKernels.BiasGradient{T}"/>)
/// read the pooled gradient and the winners once more from wherever they were, the winners written by the forward pass
/// long before: about 1.8 % of the hypernetwork step's samples under <c>perf</c>. Each chunk's sums go to its own slot and
/// the slots are added in chunk order (<see cref="ConvChunking.SumPartials{T}"/>), so the result does not depend on the
/// thread count.
/// </summary>
internal static class ChannelsLastBias
{
    private const int Width = 16;

    /// <summary>sums[c] = Σ over rows of block[row·k + c]; rows in order, one chain per channel.</summary>
    public static void ColumnSums(ReadOnlySpan<float> block, int rows, int k, Span<float> sums) =>
        Sum(block, block, rows, k, sums, masked: false);

    /// <summary>
    /// sums[c] = Σ over rows of gradient[row·k + c] where the window has a winner (winners[row·k + c] &lt;
    /// <see cref="PoolArgmaxKernels.NoWinner"/>): the pooled gradient that reaches the convolution's output.
    /// </summary>
    public static void WinnerSums(ReadOnlySpan<float> gradient, ReadOnlySpan<float> winners, int rows, int k, Span<float> sums) =>
        Sum(gradient, winners, rows, k, sums, masked: true);

    private static void Sum(ReadOnlySpan<float> gradient, ReadOnlySpan<float> winners, int rows, int k, Span<float> sums, bool masked)
    {
        if ((long)rows * k > gradient.Length || (long)rows * k > winners.Length || sums.Length < k)
        {
            throw new ArgumentException($"internal: bias sums of {rows} rows × {k} channels from {gradient.Length} and {winners.Length} values into {sums.Length}");
        }

        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var w = ref MemoryMarshal.GetReference(winners);
        var limit = Vector512.Create((float)PoolArgmaxKernels.NoWinner);
        var c = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; c + Width <= k; c += Width)
            {
                var acc = Vector512<float>.Zero;
                for (var row = 0; row < rows; row++)
                {
                    var value = Vector512.LoadUnsafe(ref g, (nuint)(row * k + c));
                    acc += masked ? Vector512.ConditionalSelect(Vector512.LessThan(Vector512.LoadUnsafe(ref w, (nuint)(row * k + c)), limit), value, Vector512<float>.Zero) : value;
                }

                acc.StoreUnsafe(ref MemoryMarshal.GetReference(sums), (nuint)c);
            }
        }

        for (; c < k; c++)
        {
            var sum = 0f;
            for (var row = 0; row < rows; row++)
            {
                var value = Unsafe.Add(ref g, row * k + c);
                sum += !masked || Unsafe.Add(ref w, row * k + c) < PoolArgmaxKernels.NoWinner ? value : 0f;
            }

            sums[c] = sum;
        }
    }
}
