using System.Numerics;

namespace Engine.Kernels.Reference;

/// <summary>Ground truth for the optimiser kernels: the textbook update in float64, element by element, into new arrays.</summary>
internal static class ReferenceOptim
{
    /// <summary>Adam (Kingma &amp; Ba 2015, Algorithm 1) plus the CPU kernel's L2 term λp in the step: returns (p, m, v) after one step.</summary>
    public static (double[] P, double[] M, double[] V) Adam<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> grad, ReadOnlySpan<T> m, ReadOnlySpan<T> v,
        double lr, double beta1, double beta2, double eps, double c1, double c2, double weightDecay, double gradScale) where T : INumberBase<T>
    {
        var (pOut, mOut, vOut) = (new double[p.Length], new double[p.Length], new double[p.Length]);
        for (var i = 0; i < p.Length; i++)
        {
            var g = double.CreateChecked(grad[i]) * gradScale;
            mOut[i] = beta1 * double.CreateChecked(m[i]) + (1 - beta1) * g;
            vOut[i] = beta2 * double.CreateChecked(v[i]) + (1 - beta2) * g * g;
            var pi = double.CreateChecked(p[i]);
            pOut[i] = pi - lr * (mOut[i] / c1 / (Math.Sqrt(vOut[i] / c2) + eps) + weightDecay * pi);
        }

        return (pOut, mOut, vOut);
    }

    /// <summary>SGD with optional heavy-ball momentum (empty buffer = none): returns (p, buffer) after one step.</summary>
    public static (double[] P, double[] Buffer) Sgd<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> grad, ReadOnlySpan<T> buffer, double lr, double momentum, double gradScale) where T : INumberBase<T>
    {
        var (pOut, bOut) = (new double[p.Length], new double[buffer.Length]);
        for (var i = 0; i < p.Length; i++)
        {
            var g = double.CreateChecked(grad[i]) * gradScale;
            if (!buffer.IsEmpty)
            {
                bOut[i] = momentum * double.CreateChecked(buffer[i]) + g;
                g = bOut[i];
            }

            pOut[i] = double.CreateChecked(p[i]) - lr * g;
        }

        return (pOut, bOut);
    }
}
