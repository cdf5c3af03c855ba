namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Reparameterize(BufferView mu, BufferView logvar, BufferView eps, BufferView z, int samples, int rowsTimesCols)
    {
        if (mu.DType == DType.Float32)
        {
            FusedKernels.Reparameterize(mu.Span<float>(), logvar.Span<float>(), eps.Span<float>(), z.Span<float>(), samples, rowsTimesCols);
        }
        else
        {
            FusedKernels.Reparameterize(mu.Span<double>(), logvar.Span<double>(), eps.Span<double>(), z.Span<double>(), samples, rowsTimesCols);
        }
    }

    public void ReparameterizeBackward(BufferView logvar, BufferView eps, BufferView dz, BufferView? dmu, BufferView? dlogvar, int samples, int rowsTimesCols)
    {
        if (logvar.DType == DType.Float32)
        {
            FusedKernels.ReparameterizeBackward(logvar.Span<float>(), eps.Span<float>(), dz.Span<float>(),
                dmu is { } m ? m.Span<float>() : default, dlogvar is { } v ? v.Span<float>() : default, samples, rowsTimesCols);
        }
        else
        {
            FusedKernels.ReparameterizeBackward(logvar.Span<double>(), eps.Span<double>(), dz.Span<double>(),
                dmu is { } m ? m.Span<double>() : default, dlogvar is { } v ? v.Span<double>() : default, samples, rowsTimesCols);
        }
    }

    public void LogMeanExpWeights(BufferView logw, BufferView lme, BufferView weights, int rows, int samples)
    {
        if (logw.DType == DType.Float32)
        {
            FusedKernels.LogMeanExpWeights(logw.Span<float>(), lme.Span<float>(), weights.Span<float>(), rows, samples);
        }
        else
        {
            FusedKernels.LogMeanExpWeights(logw.Span<double>(), lme.Span<double>(), weights.Span<double>(), rows, samples);
        }
    }

    public void BernoulliLogLikelihood(BufferView logits, BufferView x, BufferView ll, int rows, int cols, int xRows)
    {
        if (logits.DType == DType.Float32)
        {
            FusedKernels.BernoulliLogLikelihood(logits.Span<float>(), x.Span<float>(), ll.Span<float>(), rows, cols, xRows);
        }
        else
        {
            FusedKernels.BernoulliLogLikelihood(logits.Span<double>(), x.Span<double>(), ll.Span<double>(), rows, cols, xRows);
        }
    }

    public void BernoulliLogLikelihoodBackward(BufferView logits, BufferView x, BufferView dll, BufferView dlogits, int rows, int cols, int xRows)
    {
        if (logits.DType == DType.Float32)
        {
            FusedKernels.BernoulliLogLikelihoodBackward(logits.Span<float>(), x.Span<float>(), dll.Span<float>(), dlogits.Span<float>(), rows, cols, xRows);
        }
        else
        {
            FusedKernels.BernoulliLogLikelihoodBackward(logits.Span<double>(), x.Span<double>(), dll.Span<double>(), dlogits.Span<double>(), rows, cols, xRows);
        }
    }
}
