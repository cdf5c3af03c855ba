using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Drivers;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu;

/// <summary>
/// The design's fused kernels: one pass over memory where the op-by-op route would take several.
/// Vectorised through TensorPrimitives or operator structs; the Bernoulli kernels split large
/// batches across the worker pool by rows (each row is computed whole, so the split does not change
/// the result).
/// </summary>
internal static class FusedKernels
{
    /// <summary>Block of elements whose σ is kept on the stack in <see cref="ReparameterizeBackward{T}"/>.</summary>
    private const int Block = 256;

    /// <summary>z[s, i] = μ[i] + exp(½·logvar[i])·ε[s, i]; σ is computed once per i, into z's first sample row.</summary>
    public static void Reparameterize<T>(ReadOnlySpan<T> mu, ReadOnlySpan<T> logvar, ReadOnlySpan<T> eps, Span<T> z, int samples, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (samples == 0 || length == 0)
        {
            return;
        }

        var std = z[..length];
        TensorPrimitives.Multiply(logvar[..length], T.One / (T.One + T.One), std);
        TensorPrimitives.Exp(std, std);
        mu = mu[..length];

        // Sample 0 last: its row holds σ until then.
        for (var s = samples - 1; s >= 0; s--)
        {
            TensorPrimitives.FusedMultiplyAdd(std, eps.Slice(s * length, length), mu, z.Slice(s * length, length));
        }
    }

    /// <summary>dμ[i] = Σ_s dz[s, i]; dlogvar[i] = ½σ[i]·Σ_s dz[s, i]·ε[s, i] (either output may be empty).</summary>
    public static void ReparameterizeBackward<T>(ReadOnlySpan<T> logvar, ReadOnlySpan<T> eps, ReadOnlySpan<T> dz, Span<T> dmu, Span<T> dlogvar, int samples, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        Span<T> halfStd = stackalloc T[Block];
        for (var start = 0; start < length; start += Block)
        {
            var n = Math.Min(Block, length - start);
            if (!dmu.IsEmpty)
            {
                var target = dmu.Slice(start, n);
                target.Clear();
                for (var s = 0; s < samples; s++)
                {
                    TensorPrimitives.Add(target, dz.Slice(s * length + start, n), target);
                }
            }

            if (!dlogvar.IsEmpty)
            {
                var target = dlogvar.Slice(start, n);
                target.Clear();
                for (var s = 0; s < samples; s++)
                {
                    TensorPrimitives.FusedMultiplyAdd(dz.Slice(s * length + start, n), eps.Slice(s * length + start, n), target, target);
                }

                var h = halfStd[..n];
                TensorPrimitives.Multiply(logvar.Slice(start, n), half, h);
                TensorPrimitives.Exp(h, h);
                TensorPrimitives.Multiply(h, half, h);
                TensorPrimitives.Multiply(target, h, target);
            }
        }
    }

    /// <summary>
    /// Per row of log w [rows, S]: lme = logsumexp(row) − log S and the self-normalised weights
    /// exp(row − logsumexp(row)), computed as exp(row − max) / Σ exp(row − max). A row that is all −∞
    /// (or holds +∞ or NaN) gets lme = max and weights 0.
    /// </summary>
    public static void LogMeanExpWeights<T>(ReadOnlySpan<T> logw, Span<T> lme, Span<T> weights, int rows, int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var logS = T.Log(T.CreateChecked(samples));
        for (var r = 0; r < rows; r++)
        {
            var row = logw.Slice(r * samples, samples);
            var w = weights.Slice(r * samples, samples);
            var max = samples == 0 ? T.NegativeInfinity : TensorPrimitives.Max(row);
            if (!T.IsFinite(max))
            {
                lme[r] = max - logS;
                w.Clear();
                continue;
            }

            TensorPrimitives.Subtract(row, max, w);
            TensorPrimitives.Exp(w, w);
            var sum = TensorPrimitives.Sum<T>(w);
            lme[r] = max + T.Log(sum) - logS;
            TensorPrimitives.Multiply(w, T.One / sum, w);
        }
    }

    /// <summary>ll[r] = Σ_c x·l − softplus(l) over logits [rows, cols] and targets x [xRows, cols], row r using target row r mod xRows.</summary>
    public static void BernoulliLogLikelihood<T>(T[] logits, int logitsOffset, T[] x, int xOffset, T[] ll, int llOffset, int rows, int cols, int xRows, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, rows, RowsPerChunk(cols), new BernoulliBody<T>(logits, logitsOffset, x, xOffset, ll, llOffset, null, 0, cols, xRows), alignment: 1);

    /// <summary>dlogits[r, c] = dll[r]·(x[r mod xRows, c] − σ(logits[r, c])).</summary>
    public static void BernoulliLogLikelihoodBackward<T>(T[] logits, int logitsOffset, T[] x, int xOffset, T[] dll, int dllOffset, T[] dlogits, int dlogitsOffset, int rows, int cols, int xRows, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, rows, RowsPerChunk(cols), new BernoulliBody<T>(logits, logitsOffset, x, xOffset, dll, dllOffset, dlogits, dlogitsOffset, cols, xRows), alignment: 1);

    private static int RowsPerChunk(int cols) => Math.Max(1, UnaryKernels.ParallelGrain / Math.Max(1, cols));

    /// <summary>Forward when <c>dlogits</c> is null (then <c>rowValues</c> is ll), else backward (<c>rowValues</c> is dll).</summary>
    /// <summary>
    /// <see cref="ElementwiseDriver.BinarySum{T, TOp}"/> of <see cref="BernoulliLogProbabilityOperator{T}"/> (float32, AVX-512),
    /// the same vector sums in the same order (a tail under 16 is summed by the driver and added last), but two vectors per
    /// step through the interleaved
    /// <see cref="ExpLog512.Softplus(Vector512{float}, Vector512{float}, out Vector512{float}, out Vector512{float})"/>.
    /// </summary>
    private static float BernoulliRowSum(ReadOnlySpan<float> logits, ReadOnlySpan<float> x)
    {
        const int width = 16;
        var n = logits.Length;
        if (n < width)
        {
            return ElementwiseDriver.BinarySum(default(BernoulliLogProbabilityOperator<float>), logits, x);
        }

        var acc = Vector512<float>.Zero;
        var i = 0;
        for (; i + 2 * width <= n; i += 2 * width)
        {
            var (l0, l1) = (Vector512.Create(logits.Slice(i, width)), Vector512.Create(logits.Slice(i + width, width)));
            var (x0, x1) = (Vector512.Create(x.Slice(i, width)), Vector512.Create(x.Slice(i + width, width)));
            ExpLog512.Softplus(l0, l1, out var s0, out var s1);
            acc += x0 * l0 - s0;
            acc += x1 * l1 - s1;
        }

        if (i + width <= n)
        {
            acc += default(BernoulliLogProbabilityOperator<float>).Invoke(Vector512.Create(logits.Slice(i, width)), Vector512.Create(x.Slice(i, width)));
            i += width;
        }

        return Vector512.Sum(acc) + ElementwiseDriver.BinarySum(default(BernoulliLogProbabilityOperator<float>), logits[i..], x[i..]);
    }

    private static ReadOnlySpan<float> AsFloat<T>(Span<T> span) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(span);

    private readonly struct BernoulliBody<T>(T[] logits, int logitsOffset, T[] x, int xOffset, T[] rowValues, int rowOffset, T[]? dlogits, int dlogitsOffset, int cols, int xRows) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            for (var r = start; r < end; r++)
            {
                var l = logits.AsSpan(logitsOffset + r * cols, cols);
                var t = x.AsSpan(xOffset + r % xRows * cols, cols);
                if (dlogits is null && typeof(T) == typeof(float) && ExpLog512.IsSupported)
                {
                    rowValues[rowOffset + r] = T.CreateTruncating(BernoulliRowSum(AsFloat(l), AsFloat(t)));
                }
                else if (dlogits is null)
                {
                    rowValues[rowOffset + r] = ElementwiseDriver.BinarySum(default(BernoulliLogProbabilityOperator<T>), l, t);
                }
                else
                {
                    var op = new BernoulliLogProbabilityBackwardOperator<T>(rowValues[rowOffset + r]);
                    ElementwiseDriver.Binary(op, l, t, dlogits.AsSpan(dlogitsOffset + r * cols, cols));
                }
            }
        }
    }
}
