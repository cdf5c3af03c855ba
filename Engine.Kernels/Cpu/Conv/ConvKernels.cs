using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// 2-D convolution (NCHW) as im2col + GEMM over chunks of images laid side by side
/// (<see cref="ConvChunking"/>): one GEMM per chunk, chunks claimed by the threads one at a time, each
/// chunk's GEMM on the thread that claimed it. Forward and data gradient compute every image
/// independently of the grouping; the weight gradient is one GEMM per chunk with an inner size of
/// images·P·Q, partials summed over chunks in order. Chunks depend on the geometry only, so every result
/// is the same on 1 or N threads. Work runs through struct bodies and per-thread scratch: a warm call
/// allocates nothing.
/// </summary>
internal static class ConvKernels
{
    /// <summary>y = conv(x, w) (+ bias), then max(y, 0) when <paramref name="relu"/>, applied by each route while the image is in cache.</summary>
    public static void Forward<T>(ConvGeometry g, T[] x, int xo, T[] w, int wo, T[]? bias, int bo, T[] y, int yo, bool relu, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.N == 0)
        {
            return;
        }

        if (typeof(T) == typeof(float) && DirectConv.AppliesToForward(g))
        {
            DirectConv.Forward(g, AsFloat(x), xo, AsFloat(w), wo, bias is null ? null : AsFloat(bias), bo, AsFloat(y), yo, relu, workers);
            return;
        }

        if (typeof(T) == typeof(float) && WideConv.AppliesToForward(g))
        {
            WideConv.Forward(g, AsFloat(x), xo, AsFloat(w), wo, bias is null ? null : AsFloat(bias), bo, AsFloat(y), yo, relu, workers);
            return;
        }

        if (typeof(T) == typeof(float) && FewTapConv.AppliesToForward(g))
        {
            FewTapConv.Forward(g, AsFloat(x), xo, AsFloat(w), wo, bias is null ? null : AsFloat(bias), bo, AsFloat(y), yo, relu, workers);
            return;
        }

        var images = ConvChunking.ImagesPerChunk(g);
        var body = new ForwardBody<T>(g, images, x, xo, w, wo, bias, bo, y, yo, relu);
        CpuParallel.ForEach(workers, ConvChunking.Chunks(g, images), body);
    }

    /// <summary>
    /// dx, plus bias[c] on channel c when a bias is given, then max(dx, 0) when <paramref name="relu"/> (both a transposed
    /// convolution's), applied by each route while the image is in cache.
    /// </summary>
    public static void BackwardData<T>(ConvGeometry g, T[] dy, int dyo, T[] w, int wo, T[]? bias, int bo, T[] dx, int dxo, bool relu, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.N == 0)
        {
            return;
        }

        if (typeof(T) == typeof(float) && PhaseDataGradient.Applies(g))
        {
            PhaseDataGradient.Run(g, AsFloat(dy), dyo, AsFloat(w), wo, bias is null ? null : AsFloat(bias), bo, AsFloat(dx), dxo, relu, workers);
            return;
        }

        if (FlippedConv.Applies(g))
        {
            var flipped = ConvScratch<T>.Weights(g.WeightLength);
            FlippedConv.FlipWeights<T>(g, w.AsSpan(wo, g.WeightLength), flipped);
            Forward(FlippedConv.Geometry(g), dy, dyo, flipped, 0, bias, bo, dx, dxo, relu, workers);
            return;
        }

        if (typeof(T) == typeof(float) && FewTapConv.AppliesToData(g))
        {
            FewTapConv.BackwardData(g, AsFloat(dy), dyo, AsFloat(w), wo, bias is null ? null : AsFloat(bias), bo, AsFloat(dx), dxo, relu, workers);
            return;
        }

        var images = ConvChunking.ImagesPerChunk(g);
        var body = new BackwardDataBody<T>(g, images, dy, dyo, w, wo, bias, bo, dx, dxo, relu);
        CpuParallel.ForEach(workers, ConvChunking.Chunks(g, images), body);
    }

    public static void BackwardWeight<T>(ConvGeometry g, T[] x, int xo, T[] dy, int dyo, T[] dw, int dwo, T[]? db, int dbo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var kcrs = g.K * g.C * g.R * g.S;
        var target = dw.AsSpan(dwo, kcrs);
        var biasDone = false; // set by a route that sums db itself
        if (g.N == 0)
        {
            target.Clear();
        }
        else if (typeof(T) == typeof(float) && DirectConv.AppliesToWeight(g))
        {
            DirectConv.BackwardWeight(g, AsFloat(x), xo, AsFloat(dy), dyo, AsFloat(dw), dwo, db is null ? null : AsFloat(db), dbo, workers);
            biasDone = true;
        }
        else if (typeof(T) == typeof(float) && WideConv.AppliesToWeight(g))
        {
            WideConv.BackwardWeight(g, AsFloat(x), xo, AsFloat(dy), dyo, AsFloat(dw), dwo, workers);
        }
        else if (typeof(T) == typeof(float) && FewTapWeightGradient.Applies(g))
        {
            FewTapWeightGradient.Run(g, AsFloat(x), xo, AsFloat(dy), dyo, AsFloat(dw), dwo, db is null ? null : AsFloat(db), dbo, workers);
            biasDone = true;
        }
        else if (ChannelsLastWeightGradient.Applies(g))
        {
            ChannelsLastWeightGradient.Run(g, x, xo, dy, dyo, dw, dwo, workers);
        }
        else
        {
            var images = ConvChunking.ImagesPerChunk(g);
            var chunks = ConvChunking.Chunks(g, images);
            // one chunk writes dw directly; more write one partial each, summed below in chunk order
            var (partials, partialsOffset) = chunks == 1 ? (dw, dwo) : (ConvScratch<T>.Partials(chunks * kcrs), 0);
            var body = new BackwardWeightBody<T>(g, images, x, xo, dy, dyo, partials, partialsOffset);
            CpuParallel.ForEach(workers, chunks, body);
            if (chunks > 1)
            {
                ConvChunking.SumPartials(partials, chunks, kcrs, target);
            }
        }

        if (db is not null && !biasDone)
        {
            // channels split over the threads: each channel's sum is one thread's, in image order, whatever the thread count
            CpuParallel.For(workers, g.K, 1, new BiasGradientBody<T>(g, dy, dyo, db, dbo), alignment: 1);
        }
    }

    private static float[] AsFloat<T>(T[] array) => Unsafe.As<float[]>(array);
}

/// <summary>db[k] = Σ_n Σ_pixels dy[n, k, pixel] for the channels of a range, images in order.</summary>
internal readonly struct BiasGradientBody<T>(ConvGeometry g, T[] dy, int dyo, T[] db, int dbo) : IRangeBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end)
    {
        var pq = g.P * g.Q;
        for (var k = start; k < end; k++)
        {
            var sum = T.Zero;
            for (var n = 0; n < g.N; n++)
            {
                sum += TensorPrimitives.Sum<T>(dy.AsSpan(dyo + (n * g.K + k) * pq, pq));
            }

            db[dbo + k] = sum;
        }
    }
}
