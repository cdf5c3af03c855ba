using System.Numerics;

namespace Engine.Kernels.Cpu;

/// <summary>Parameter updates, one fused pass per tensor.</summary>
internal static class OptimKernels
{
    public static void Adam<T>(Span<T> p, ReadOnlySpan<T> grad, Span<T> m, Span<T> v, T lr, T beta1, T beta2, T eps, T c1, T c2, T weightDecay, T gradScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i] * gradScale;
            m[i] = beta1 * m[i] + (T.One - beta1) * g;
            v[i] = beta2 * v[i] + (T.One - beta2) * g * g;
            var step = m[i] / c1 / (T.Sqrt(v[i] / c2) + eps);
            p[i] -= lr * (step + weightDecay * p[i]);
        }
    }

    public static void Sgd<T>(Span<T> p, ReadOnlySpan<T> grad, Span<T> buffer, T lr, T momentum, T gradScale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < p.Length; i++)
        {
            var g = grad[i] * gradScale;
            if (!buffer.IsEmpty)
            {
                buffer[i] = momentum * buffer[i] + g;
                g = buffer[i];
            }

            p[i] -= lr * g;
        }
    }
}
