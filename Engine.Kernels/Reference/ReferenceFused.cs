using System.Numerics;

namespace Engine.Kernels.Reference;

/// <summary>Ground truth for the fused kernels, in float64 loops that follow each kernel's formula literally.</summary>
internal static class ReferenceFused
{
    /// <summary>ll[r] = Σ_c x·l − softplus(l), target row r mod xRows.</summary>
    public static void BernoulliLogLikelihood<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> x, Span<double> ll, int rows, int cols, int xRows) where T : INumberBase<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            for (var c = 0; c < cols; c++)
            {
                var l = double.CreateChecked(logits[r * cols + c]);
                sum += double.CreateChecked(x[r % xRows * cols + c]) * l - ReferenceElementwise.Softplus(l);
            }

            ll[r] = sum;
        }
    }

    /// <summary>ll[r] = −½ Σ_c [(x − μ)²/e^{logvar} + logvar + log 2π], parameters of row r mod paramRows; empty μ and logvar: N(0, I).</summary>
    public static void GaussianLogDensity<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mu, ReadOnlySpan<T> logvar, Span<double> ll, int rows, int cols, int paramRows) where T : INumberBase<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            for (var c = 0; c < cols; c++)
            {
                var p = r % paramRows * cols + c;
                var (m, lv) = mu.IsEmpty ? (0.0, 0.0) : (double.CreateChecked(mu[p]), double.CreateChecked(logvar[p]));
                var d = double.CreateChecked(x[r * cols + c]) - m;
                sum += d * d / Math.Exp(lv) + lv + Math.Log(2 * Math.PI);
            }

            ll[r] = -0.5 * sum;
        }
    }

    /// <summary>dx = −dll·(x − μ)/e^{logvar}; dμ[p] = Σ_{r ≡ p} dll·(x − μ)/e^{logvar}; dlogvar[p] = Σ_{r ≡ p} ½dll·((x − μ)²/e^{logvar} − 1).</summary>
    public static void GaussianLogDensityBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> mu, ReadOnlySpan<T> logvar, ReadOnlySpan<T> dll, Span<double> dx, Span<double> dmu, Span<double> dlogvar, int rows, int cols, int paramRows) where T : INumberBase<T>
    {
        dmu.Clear();
        dlogvar.Clear();
        for (var r = 0; r < rows; r++)
        {
            var g = double.CreateChecked(dll[r]);
            for (var c = 0; c < cols; c++)
            {
                var p = r % paramRows * cols + c;
                var (m, lv) = mu.IsEmpty ? (0.0, 0.0) : (double.CreateChecked(mu[p]), double.CreateChecked(logvar[p]));
                var d = double.CreateChecked(x[r * cols + c]) - m;
                dx[r * cols + c] = -g * d / Math.Exp(lv);
                if (!mu.IsEmpty)
                {
                    dmu[p] += g * d / Math.Exp(lv);
                    dlogvar[p] += 0.5 * g * (d * d / Math.Exp(lv) - 1);
                }
            }
        }
    }

    /// <summary>dlogits[r, c] = dll[r]·(x − σ(l)).</summary>
    public static void BernoulliLogLikelihoodBackward<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> x, ReadOnlySpan<T> dll, Span<double> dlogits, int rows, int cols, int xRows) where T : INumberBase<T>
    {
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var l = double.CreateChecked(logits[r * cols + c]);
                dlogits[r * cols + c] = double.CreateChecked(dll[r]) * (double.CreateChecked(x[r % xRows * cols + c]) - ReferenceElementwise.Sigmoid(l));
            }
        }
    }

    /// <summary>z[s, i] = μ[i] + exp(½ logvar[i])·ε[s, i].</summary>
    public static void Reparameterize<T>(ReadOnlySpan<T> mu, ReadOnlySpan<T> logvar, ReadOnlySpan<T> eps, Span<double> z, int samples, int length) where T : INumberBase<T>
    {
        for (var s = 0; s < samples; s++)
        {
            for (var i = 0; i < length; i++)
            {
                z[s * length + i] = double.CreateChecked(mu[i]) + Math.Exp(0.5 * double.CreateChecked(logvar[i])) * double.CreateChecked(eps[s * length + i]);
            }
        }
    }

    /// <summary>dμ[i] = Σ_s dz; dlogvar[i] = Σ_s dz·ε·½ exp(½ logvar[i]).</summary>
    public static void ReparameterizeBackward<T>(ReadOnlySpan<T> logvar, ReadOnlySpan<T> eps, ReadOnlySpan<T> dz, Span<double> dmu, Span<double> dlogvar, int samples, int length) where T : INumberBase<T>
    {
        for (var i = 0; i < length; i++)
        {
            double sumDz = 0, sumDzEps = 0;
            for (var s = 0; s < samples; s++)
            {
                sumDz += double.CreateChecked(dz[s * length + i]);
                sumDzEps += double.CreateChecked(dz[s * length + i]) * double.CreateChecked(eps[s * length + i]);
            }

            dmu[i] = sumDz;
            dlogvar[i] = sumDzEps * 0.5 * Math.Exp(0.5 * double.CreateChecked(logvar[i]));
        }
    }

    /// <summary>Per row: lme = log((1/S) Σ exp(log w)) and weights exp(log w − logsumexp); an all −∞ row gives −∞ and zero weights.</summary>
    public static void LogMeanExpWeights<T>(ReadOnlySpan<T> logw, Span<double> lme, Span<double> weights, int rows, int samples) where T : INumberBase<T>
    {
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var s = 0; s < samples; s++)
            {
                max = Math.Max(max, double.CreateChecked(logw[r * samples + s]));
            }

            var sum = 0.0;
            for (var s = 0; s < samples && double.IsFinite(max); s++)
            {
                sum += Math.Exp(double.CreateChecked(logw[r * samples + s]) - max);
            }

            var lse = double.IsFinite(max) ? max + Math.Log(sum) : max;
            lme[r] = lse - Math.Log(samples);
            for (var s = 0; s < samples; s++)
            {
                weights[r * samples + s] = double.IsFinite(lse) ? Math.Exp(double.CreateChecked(logw[r * samples + s]) - lse) : 0;
            }
        }
    }
}
