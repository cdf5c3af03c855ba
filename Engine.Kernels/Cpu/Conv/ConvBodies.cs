using System.Numerics;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>Images [first, first + count) of chunk <paramref name="chunk"/>.</summary>
internal readonly record struct ImageChunk(int First, int Count)
{
    public static ImageChunk Of(ConvGeometry g, int imagesPerChunk, int chunk)
    {
        var first = chunk * imagesPerChunk;
        return new ImageChunk(first, Math.Min(imagesPerChunk, g.N - first));
    }

    /// <summary>The chunk's images side by side as im2col columns [C·R·S, count·P·Q] in the thread's scratch.</summary>
    public T[] Columns<T>(ConvGeometry g, T[] x, int xo) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chw = g.C * g.H * g.W, pq = g.P * g.Q, columns = Count * pq;
        var col = ConvScratch<T>.Columns(g.C * g.R * g.S * columns);
        for (var i = 0; i < Count; i++)
        {
            ConvLayout.Im2Col(g, x.AsSpan(xo + (First + i) * chw, chw), col, i * pq, columns);
        }

        return col;
    }

    /// <summary>The chunk's dy as [K, count·P·Q] and its offset: dy itself for one image, else a copy in the thread's scratch.</summary>
    public (T[] Array, int Offset) ByChannel<T>(ConvGeometry g, T[] dy, int dyo) where T : unmanaged
    {
        var length = Count * g.K * g.P * g.Q;
        var at = dyo + First * g.K * g.P * g.Q;
        if (Count == 1)
        {
            return (dy, at);
        }

        var staged = ConvScratch<T>.Staging(length);
        ConvLayout.ByChannel<T>(g, dy.AsSpan(at, length), Count, staged);
        return (staged, 0);
    }
}

/// <summary>y = w · col (+ bias) per chunk: [K, C·R·S] · [C·R·S, count·P·Q], then back to [count, K, P·Q].</summary>
internal readonly struct ForwardBody<T>(ConvGeometry g, int imagesPerChunk, T[] x, int xo, T[] w, int wo, T[]? bias, int bo, T[] y, int yo, bool relu) : IRangeBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end)
    {
        int crs = g.C * g.R * g.S, pq = g.P * g.Q;
        for (var chunk = start; chunk < end; chunk++)
        {
            var images = ImageChunk.Of(g, imagesPerChunk, chunk);
            var columns = images.Count * pq;
            var col = images.Columns(g, x, xo);
            var yAt = yo + images.First * g.K * pq;
            var output = y.AsSpan(yAt, images.Count * g.K * pq);
            ReadOnlySpan<T> b = bias is null ? default : bias.AsSpan(bo, g.K);
            if (images.Count == 1)
            {
                GemmKernel.Run(false, false, g.K, columns, crs, T.One, w, wo, crs, col, 0, columns, T.Zero, y, yAt, columns, workers: null);
                if (!b.IsEmpty)
                {
                    ConvLayout.AddBias(g, output, 1, b);
                }
            }
            else
            {
                var staged = ConvScratch<T>.Staging(g.K * columns);
                GemmKernel.Run(false, false, g.K, columns, crs, T.One, w, wo, crs, col, 0, columns, T.Zero, staged, 0, columns, workers: null);
                ConvLayout.ByImage<T>(g, staged.AsSpan(0, g.K * columns), images.Count, b, output);
            }

            if (relu)
            {
                ConvLayout.Rectify(output);
            }
        }
    }
}

/// <summary>col = wᵀ · dy per chunk ([C·R·S, K] · [K, count·P·Q]), then col2im into each image of dx.</summary>
internal readonly struct BackwardDataBody<T>(ConvGeometry g, int imagesPerChunk, T[] dy, int dyo, T[] w, int wo, T[]? bias, int bo, T[] dx, int dxo, bool relu) : IRangeBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end)
    {
        int crs = g.C * g.R * g.S, pq = g.P * g.Q, chw = g.C * g.H * g.W;
        for (var chunk = start; chunk < end; chunk++)
        {
            var images = ImageChunk.Of(g, imagesPerChunk, chunk);
            var columns = images.Count * pq;
            var (gradient, at) = images.ByChannel(g, dy, dyo);
            var col = ConvScratch<T>.Columns(crs * columns);
            GemmKernel.Run(true, false, crs, columns, g.K, T.One, w, wo, crs, gradient, at, columns, T.Zero, col, 0, columns, workers: null);
            for (var i = 0; i < images.Count; i++)
            {
                var image = dx.AsSpan(dxo + (images.First + i) * chw, chw);
                ConvLayout.Col2Im(g, col, i * pq, columns, image);
                if (bias is not null)
                {
                    ConvLayout.AddChannelBias<T>(image, g.C, g.H * g.W, bias.AsSpan(bo, g.C));
                }

                if (relu)
                {
                    ConvLayout.Rectify(image);
                }
            }
        }
    }
}

/// <summary>
/// Chunk c's partial dw = dy · colᵀ ([K, count·P·Q] · [count·P·Q, C·R·S]): one GEMM sums over the chunk's
/// images and pixels. Where P·Q alone is a long inner size (≥ <see cref="LongInner"/>), the images are
/// summed by per-image GEMMs instead (β = 1 after the first), reading dy in place: copying dy into
/// [K, count·P·Q] then costs more than the longer GEMM saves (measured on the conv VAE's 28×28 layers).
/// </summary>
internal readonly struct BackwardWeightBody<T>(ConvGeometry g, int imagesPerChunk, T[] x, int xo, T[] dy, int dyo, T[] partials, int partialsOffset) : IRangeBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int LongInner = 128;

    public void Run(int start, int end)
    {
        int crs = g.C * g.R * g.S, pq = g.P * g.Q;
        for (var chunk = start; chunk < end; chunk++)
        {
            var images = ImageChunk.Of(g, imagesPerChunk, chunk);
            var columns = images.Count * pq;
            var col = images.Columns(g, x, xo);
            var partial = partialsOffset + chunk * g.K * crs;
            if (pq >= LongInner)
            {
                for (var i = 0; i < images.Count; i++)
                {
                    GemmKernel.Run(false, true, g.K, crs, pq, T.One, dy, dyo + (images.First + i) * g.K * pq, pq, col, i * pq, columns,
                        i == 0 ? T.Zero : T.One, partials, partial, crs, workers: null);
                }
            }
            else
            {
                var (gradient, at) = images.ByChannel(g, dy, dyo);
                GemmKernel.Run(false, true, g.K, crs, columns, T.One, gradient, at, columns, col, 0, columns, T.Zero, partials, partial, crs, workers: null);
            }
        }
    }
}
