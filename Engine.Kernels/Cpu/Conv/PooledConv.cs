using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Cpu.Conv;

/// <summary>
/// A convolution followed by a 2×2 max-pool, as one kernel each way (<see cref="IBackend.Conv2dMaxPoolForward"/>).
/// Why: the hypernetwork's first layer writes 32 × 32 × 28 × 28 floats per generated net (3.2 MB, more than L2), and the
/// separate pool then read them back, its backward read them again and wrote a dx as large, and the weight gradient read
/// that. Where <see cref="WideConv"/> runs the layer (float32, AVX-512), the forward pools in registers
/// (<see cref="PooledWideTileStore"/>), keeping only the pooled values and each window's winner; the weight gradient
/// unpools dy rows chunk by chunk in L1 (<see cref="WideConv.BackwardWeightPooled"/>). Where <see cref="DirectConv"/> runs it,
/// the forward pools in its channels-last staging block (<see cref="DirectPooledForwardBody"/>) and the weight gradient
/// unpools straight into its channels-last dy (<see cref="PooledDirectDy"/>). With many input channels and 5-wide kernels,
/// the weight and data gradients take the winners alone (<see cref="WinnerWeightGradient"/>, <see cref="WinnerDataGradient"/>).
/// Elsewhere both go through the full convolution output (or dy) in scratch, with the same results.
/// </summary>
internal static class PooledConv
{
    public static void Forward<T>(ConvGeometry g, T[] x, int xo, T[] w, int wo, T[]? bias, int bo, T[] pooled, int po, T[] code, int co, bool relu, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && WideConv.AppliesToForward(g))
        {
            var weights = ConvScratch<float>.DirectWeights(g.WeightLength);
            DirectConv.ToTapMajor(g, Unsafe.As<float[]>(w).AsSpan(wo, g.WeightLength), weights);
            CpuParallel.ForEach(workers, g.N, new PooledWideForwardBody(g, Unsafe.As<float[]>(x), xo, weights, Unsafe.As<float[]?>(bias), bo,
                Unsafe.As<float[]>(pooled), po, Unsafe.As<float[]>(code), co, relu));
            return;
        }

        if (typeof(T) == typeof(float) && DirectConv.AppliesToForward(g))
        {
            var weights = ConvScratch<float>.DirectWeights(g.WeightLength);
            DirectConv.ToTapMajor(g, Unsafe.As<float[]>(w).AsSpan(wo, g.WeightLength), weights);
            CpuParallel.ForEach(workers, g.N, new DirectPooledForwardBody(g, Unsafe.As<float[]>(x), xo, weights, Unsafe.As<float[]?>(bias), bo,
                Unsafe.As<float[]>(pooled), po, Unsafe.As<float[]>(code), co, relu, workers.Threads));
            return;
        }

        var planes = g.N * g.K;
        var y = ConvScratch<T>.Pooling(planes * g.P * g.Q);
        ConvKernels.Forward(g, x, xo, w, wo, bias, bo, y, 0, relu: false, workers);
        PoolArgmaxKernels.Forward(y, 0, pooled, po, code, co, planes, g.P, g.Q, workers);
        if (relu)
        {
            var windows = planes * (g.P / 2) * (g.Q / 2);
            PoolArgmaxKernels.Rectify<T>(pooled.AsSpan(po, windows), code.AsSpan(co, windows));
        }
    }

    /// <summary>
    /// dx from the pooled gradient and the winners: <see cref="WinnerDataGradient"/> where it applies, else the unpooled dy
    /// in scratch and the convolution's data gradient.
    /// </summary>
    public static void BackwardData<T>(ConvGeometry g, T[] dpooled, int dpo, T[] code, int co, T[] w, int wo, T[] dx, int dxo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && WinnerDataGradient.Applies(g))
        {
            WinnerDataGradient.Run(g, Unsafe.As<float[]>(dpooled), dpo, Unsafe.As<float[]>(code), co, Unsafe.As<float[]>(w), wo, Unsafe.As<float[]>(dx), dxo, workers);
            return;
        }

        ConvKernels.BackwardData(g, Unpooled(g, dpooled, dpo, code, co, workers), 0, w, wo, null, 0, dx, dxo, relu: false, workers);
    }

    /// <summary>
    /// dw, and db (the pooled gradient's sum per channel over the windows with a winner) when given: the pooled-gradient
    /// routes sum it from the channels-last blocks they build anyway (<see cref="ChannelsLastBias"/>), the others in a pass
    /// of its own (<see cref="PoolArgmaxKernels.BiasGradient{T}"/>).
    /// </summary>
    public static void BackwardWeight<T>(ConvGeometry g, T[] x, int xo, T[] dpooled, int dpo, T[] code, int co, T[] dw, int dwo, T[]? db, int dbo, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && WideConv.AppliesToWeight(g) && PooledWeightGradient.Applies(g))
        {
            PooledWeightGradient.Run(g, Unsafe.As<float[]>(x), xo, Unsafe.As<float[]>(dpooled), dpo, Unsafe.As<float[]>(code), co, Unsafe.As<float[]>(dw), dwo,
                Unsafe.As<float[]?>(db), dbo, workers);
            return;
        }

        if (typeof(T) == typeof(float) && !WideConv.AppliesToWeight(g) && WinnerWeightGradient.Applies(g))
        {
            WinnerWeightGradient.Run(g, Unsafe.As<float[]>(x), xo, Unsafe.As<float[]>(dpooled), dpo, Unsafe.As<float[]>(code), co, Unsafe.As<float[]>(dw), dwo,
                Unsafe.As<float[]?>(db), dbo, workers);
            return;
        }

        if (typeof(T) == typeof(float) && !WideConv.AppliesToWeight(g) && DirectConv.AppliesToWeight(g))
        {
            DirectConv.BackwardWeightPooled(g, Unsafe.As<float[]>(x), xo, Unsafe.As<float[]>(dpooled), dpo, Unsafe.As<float[]>(code), co, Unsafe.As<float[]>(dw), dwo,
                Unsafe.As<float[]?>(db), dbo, workers);
            return;
        }

        if (db is not null)
        {
            PoolArgmaxKernels.BiasGradient(dpooled, dpo, code, co, db, dbo, g.N, g.K, g.P / 2 * (g.Q / 2), workers);
        }

        if (typeof(T) == typeof(float) && WideConv.AppliesToWeight(g))
        {
            WideConv.BackwardWeightPooled(g, Unsafe.As<float[]>(x), xo, Unsafe.As<float[]>(dpooled), dpo, Unsafe.As<float[]>(code), co, Unsafe.As<float[]>(dw), dwo, workers);
            return;
        }

        ConvKernels.BackwardWeight(g, x, xo, Unpooled(g, dpooled, dpo, code, co, workers), 0, dw, dwo, null, 0, workers);
    }

    /// <summary>The full-size dy (dpooled at each winner, 0 elsewhere) in the calling thread's scratch, for the routes that need it.</summary>
    private static T[] Unpooled<T>(ConvGeometry g, T[] dpooled, int dpo, T[] code, int co, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var planes = g.N * g.K;
        var dy = ConvScratch<T>.Pooling(planes * g.P * g.Q);
        PoolArgmaxKernels.Unpool(dpooled, dpo, code, co, dy, 0, planes, g.P, g.Q, workers);
        return dy;
    }
}
