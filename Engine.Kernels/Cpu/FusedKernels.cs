using System.Numerics;

namespace Engine.Kernels.Cpu;

/// <summary>The design's fused kernels: one pass over memory where the op-by-op route would take several.</summary>
internal static class FusedKernels
{
    public static void Reparameterize<T>(ReadOnlySpan<T> mu, ReadOnlySpan<T> logvar, ReadOnlySpan<T> eps, Span<T> z, int samples, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        for (var i = 0; i < length; i++)
        {
            var std = T.Exp(half * logvar[i]);
            for (var s = 0; s < samples; s++)
            {
                z[s * length + i] = mu[i] + std * eps[s * length + i];
            }
        }
    }

    public static void ReparameterizeBackward<T>(ReadOnlySpan<T> logvar, ReadOnlySpan<T> eps, ReadOnlySpan<T> dz, Span<T> dmu, Span<T> dlogvar, int samples, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        for (var i = 0; i < length; i++)
        {
            var halfStd = half * T.Exp(half * logvar[i]);
            T sumDz = T.Zero, sumDzEps = T.Zero;
            for (var s = 0; s < samples; s++)
            {
                sumDz += dz[s * length + i];
                sumDzEps += dz[s * length + i] * eps[s * length + i];
            }

            if (!dmu.IsEmpty)
            {
                dmu[i] = sumDz;
            }

            if (!dlogvar.IsEmpty)
            {
                dlogvar[i] = sumDzEps * halfStd;
            }
        }
    }

    public static void LogMeanExpWeights<T>(ReadOnlySpan<T> logw, Span<T> lme, Span<T> weights, int rows, int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logS = T.Log(T.CreateChecked(samples));
        for (var r = 0; r < rows; r++)
        {
            var row = logw.Slice(r * samples, samples);
            var lse = ReduceKernels.LogSumExp(row);
            lme[r] = lse - logS;
            var w = weights.Slice(r * samples, samples);
            for (var s = 0; s < samples; s++)
            {
                w[s] = T.IsFinite(lse) ? T.Exp(row[s] - lse) : T.Zero;
            }
        }
    }

    public static void BernoulliLogLikelihood<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> x, Span<T> ll, int rows, int cols, int xRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var l = logits.Slice(r * cols, cols);
            var t = x.Slice(r % xRows * cols, cols);
            var sum = T.Zero;
            for (var c = 0; c < cols; c++)
            {
                // log p = x·l − softplus(l): no log of a saturated sigmoid
                sum += t[c] * l[c] - UnaryKernels.Softplus(l[c]);
            }

            ll[r] = sum;
        }
    }

    public static void BernoulliLogLikelihoodBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> x, ReadOnlySpan<T> dll, Span<T> dlogits, int rows, int cols, int xRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var l = logits.Slice(r * cols, cols);
            var t = x.Slice(r % xRows * cols, cols);
            var d = dlogits.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++)
            {
                d[c] = dll[r] * (t[c] - UnaryKernels.Sigmoid(l[c]));
            }
        }
    }
}
