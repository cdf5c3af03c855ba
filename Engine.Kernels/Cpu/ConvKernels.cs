using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu;

/// <summary>
/// 2-D convolution (NCHW) as im2col + GEMM per image, images split across threads. The weight
/// gradient sums per-thread partials in a fixed order, so it depends only on the thread count.
/// </summary>
internal static class ConvKernels
{
    public static void Forward<T>(ConvGeometry g, T[] x, int xo, T[] w, int wo, T[]? bias, int bo, T[] y, int yo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int crs = g.C * g.R * g.S, pq = g.P * g.Q;
        CpuParallel.For(workers, g.N, 1, (start, end) =>
        {
            var col = ArrayPool<T>.Shared.Rent(crs * pq);
            try
            {
                for (var n = start; n < end; n++)
                {
                    Im2Col(g, x.AsSpan(xo + n * g.C * g.H * g.W), col);
                    var yAt = yo + n * g.K * pq;
                    GemmKernel.Run(false, false, g.K, pq, crs, T.One, w, wo, crs, col, 0, pq, T.Zero, y, yAt, pq, 1);
                    if (bias is not null)
                    {
                        for (var k = 0; k < g.K; k++)
                        {
                            var plane = y.AsSpan(yAt + k * pq, pq);
                            TensorPrimitives.Add(plane, bias[bo + k], plane);
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
            }
        });
    }

    public static void BackwardData<T>(ConvGeometry g, T[] dy, int dyo, T[] w, int wo, T[] dx, int dxo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int crs = g.C * g.R * g.S, pq = g.P * g.Q, chw = g.C * g.H * g.W;
        CpuParallel.For(workers, g.N, 1, (start, end) =>
        {
            var col = ArrayPool<T>.Shared.Rent(crs * pq);
            try
            {
                for (var n = start; n < end; n++)
                {
                    GemmKernel.Run(true, false, crs, pq, g.K, T.One, w, wo, crs, dy, dyo + n * g.K * pq, pq, T.Zero, col, 0, pq, 1);
                    var image = dx.AsSpan(dxo + n * chw, chw);
                    image.Clear();
                    Col2ImAdd(g, col, image);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(col);
            }
        });
    }

    public static void BackwardWeight<T>(ConvGeometry g, T[] x, int xo, T[] dy, int dyo, T[] dw, int dwo, T[]? db, int dbo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int crs = g.C * g.R * g.S, pq = g.P * g.Q, kcrs = g.K * crs;
        var chunks = Math.Max(1, Math.Min(workers.Threads, g.N));
        var partial = ArrayPool<T>.Shared.Rent(chunks * kcrs);
        try
        {
            CpuParallel.For(workers, chunks, 1, (c0, c1) =>
            {
                var col = ArrayPool<T>.Shared.Rent(crs * pq);
                try
                {
                    for (var chunk = c0; chunk < c1; chunk++)
                    {
                        var start = (int)((long)g.N * chunk / chunks);
                        var end = (int)((long)g.N * (chunk + 1) / chunks);
                        partial.AsSpan(chunk * kcrs, kcrs).Clear();
                        for (var n = start; n < end; n++)
                        {
                            Im2Col(g, x.AsSpan(xo + n * g.C * g.H * g.W), col);
                            GemmKernel.Run(false, true, g.K, crs, pq, T.One, dy, dyo + n * g.K * pq, pq, col, 0, pq, T.One, partial, chunk * kcrs, crs, 1);
                        }
                    }
                }
                finally
                {
                    ArrayPool<T>.Shared.Return(col);
                }
            });

            var target = dw.AsSpan(dwo, kcrs);
            partial.AsSpan(0, kcrs).CopyTo(target);
            for (var chunk = 1; chunk < chunks; chunk++)
            {
                TensorPrimitives.Add(target, partial.AsSpan(chunk * kcrs, kcrs), target);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(partial);
        }

        if (db is not null)
        {
            for (var k = 0; k < g.K; k++)
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

    /// <summary>col[(c·R + r)·S + s, p·Q + q] = x[c, p·stride − pad + r, q·stride − pad + s] (0 outside).</summary>
    private static void Im2Col<T>(ConvGeometry g, ReadOnlySpan<T> image, T[] col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pq = g.P * g.Q;
        for (var c = 0; c < g.C; c++)
        {
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    var row = col.AsSpan(((c * g.R + r) * g.S + s) * pq, pq);
                    for (var p = 0; p < g.P; p++)
                    {
                        var h = p * g.StrideH - g.PadH + r;
                        var line = row.Slice(p * g.Q, g.Q);
                        if ((uint)h >= (uint)g.H)
                        {
                            line.Clear();
                            continue;
                        }

                        var source = image.Slice((c * g.H + h) * g.W, g.W);
                        for (var q = 0; q < g.Q; q++)
                        {
                            var wIndex = q * g.StrideW - g.PadW + s;
                            line[q] = (uint)wIndex < (uint)g.W ? source[wIndex] : T.Zero;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col{T}"/>: every column entry is added back to its pixel.</summary>
    private static void Col2ImAdd<T>(ConvGeometry g, T[] col, Span<T> image) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pq = g.P * g.Q;
        for (var c = 0; c < g.C; c++)
        {
            for (var r = 0; r < g.R; r++)
            {
                for (var s = 0; s < g.S; s++)
                {
                    var row = col.AsSpan(((c * g.R + r) * g.S + s) * pq, pq);
                    for (var p = 0; p < g.P; p++)
                    {
                        var h = p * g.StrideH - g.PadH + r;
                        if ((uint)h >= (uint)g.H)
                        {
                            continue;
                        }

                        var target = image.Slice((c * g.H + h) * g.W, g.W);
                        var line = row.Slice(p * g.Q, g.Q);
                        for (var q = 0; q < g.Q; q++)
                        {
                            var wIndex = q * g.StrideW - g.PadW + s;
                            if ((uint)wIndex < (uint)g.W)
                            {
                                target[wIndex] += line[q];
                            }
                        }
                    }
                }
            }
        }
    }
}
