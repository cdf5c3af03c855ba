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
        CheckBernoulli(logits, x, ll, rows, cols, xRows);
        if (logits.DType == DType.Float32)
        {
            FusedKernels.BernoulliLogLikelihood(logits.Array<float>(), logits.Offset, x.Array<float>(), x.Offset, ll.Array<float>(), ll.Offset, rows, cols, xRows, _workers);
        }
        else
        {
            FusedKernels.BernoulliLogLikelihood(logits.Array<double>(), logits.Offset, x.Array<double>(), x.Offset, ll.Array<double>(), ll.Offset, rows, cols, xRows, _workers);
        }
    }

    public void BernoulliLogLikelihoodBackward(BufferView logits, BufferView x, BufferView dll, BufferView dlogits, int rows, int cols, int xRows)
    {
        CheckBernoulli(logits, x, dll, rows, cols, xRows);
        CheckLength(logits.Length, dlogits.Length, nameof(BernoulliLogLikelihoodBackward));
        if (logits.DType == DType.Float32)
        {
            FusedKernels.BernoulliLogLikelihoodBackward(logits.Array<float>(), logits.Offset, x.Array<float>(), x.Offset, dll.Array<float>(), dll.Offset, dlogits.Array<float>(), dlogits.Offset, rows, cols, xRows, _workers);
        }
        else
        {
            FusedKernels.BernoulliLogLikelihoodBackward(logits.Array<double>(), logits.Offset, x.Array<double>(), x.Offset, dll.Array<double>(), dll.Offset, dlogits.Array<double>(), dlogits.Offset, rows, cols, xRows, _workers);
        }
    }

    public void GaussianLogDensity(BufferView x, BufferView? mu, BufferView? logvar, BufferView ll, int rows, int cols, int paramRows)
    {
        CheckGaussian(nameof(GaussianLogDensity), x, mu, logvar, ll, rows, cols, paramRows);
        if (x.DType == DType.Float32)
        {
            GaussianDensityKernels.Forward(x.Array<float>(), x.Offset, mu?.Array<float>(), mu?.Offset ?? 0, logvar?.Array<float>(), logvar?.Offset ?? 0, ll.Array<float>(), ll.Offset, rows, cols, paramRows, _workers);
        }
        else
        {
            GaussianDensityKernels.Forward(x.Array<double>(), x.Offset, mu?.Array<double>(), mu?.Offset ?? 0, logvar?.Array<double>(), logvar?.Offset ?? 0, ll.Array<double>(), ll.Offset, rows, cols, paramRows, _workers);
        }
    }

    public void GaussianLogDensityBackward(BufferView x, BufferView? mu, BufferView? logvar, BufferView dll, BufferView? dx, BufferView? dmu, BufferView? dlogvar, int rows, int cols, int paramRows)
    {
        CheckGaussian(nameof(GaussianLogDensityBackward), x, mu, logvar, dll, rows, cols, paramRows);
        if (mu is null && (dmu is not null || dlogvar is not null) || dx is { } d && d.Length < rows * cols
            || dmu is { } m && m.Length < paramRows * cols || dlogvar is { } v && v.Length < paramRows * cols)
        {
            throw new ArgumentException($"{nameof(GaussianLogDensityBackward)}: gradient views (dx {dx?.Length}, dμ {dmu?.Length}, dlogvar {dlogvar?.Length}) do not fit rows {rows}, cols {cols}, parameter rows {paramRows}.");
        }

        if (x.DType == DType.Float32)
        {
            GaussianDensityKernels.Backward(x.Array<float>(), x.Offset, mu?.Array<float>(), mu?.Offset ?? 0, logvar?.Array<float>(), logvar?.Offset ?? 0, dll.Array<float>(), dll.Offset,
                dx is { } gx ? gx.Span<float>() : default, dmu is { } gm ? gm.Span<float>() : default, dlogvar is { } gv ? gv.Span<float>() : default, rows, cols, paramRows);
        }
        else
        {
            GaussianDensityKernels.Backward(x.Array<double>(), x.Offset, mu?.Array<double>(), mu?.Offset ?? 0, logvar?.Array<double>(), logvar?.Offset ?? 0, dll.Array<double>(), dll.Offset,
                dx is { } gx ? gx.Span<double>() : default, dmu is { } gm ? gm.Span<double>() : default, dlogvar is { } gv ? gv.Span<double>() : default, rows, cols, paramRows);
        }
    }

    public void NearestNeighbours(BufferView x, int n, int dim, bool l1, BufferView distance, BufferView neighbour)
    {
        CheckNeighbours(nameof(NearestNeighbours), x, n, dim, distance, neighbour);
        if (x.DType == DType.Float32)
        {
            NeighbourKernels.Nearest(x.Array<float>(), x.Offset, n, dim, l1, distance.Array<float>(), distance.Offset, neighbour.Array<float>(), neighbour.Offset, _workers);
        }
        else
        {
            NeighbourKernels.Nearest(x.Array<double>(), x.Offset, n, dim, l1, distance.Array<double>(), distance.Offset, neighbour.Array<double>(), neighbour.Offset, _workers);
        }
    }

    public void NearestNeighboursBackward(BufferView x, BufferView neighbour, BufferView distance, BufferView dDistance, BufferView dx, int n, int dim, bool l1)
    {
        CheckNeighbours(nameof(NearestNeighboursBackward), x, n, dim, distance, neighbour);
        if (dDistance.Length < n || dx.Length < n * dim)
        {
            throw new ArgumentException($"{nameof(NearestNeighboursBackward)}: dDistance ({dDistance.Length}) or dx ({dx.Length}) is smaller than n = {n} or n·dim = {n * dim}.");
        }

        if (x.DType == DType.Float32)
        {
            NeighbourKernels.NearestBackward(x.Array<float>(), x.Offset, neighbour.Array<float>(), neighbour.Offset, distance.Array<float>(), distance.Offset,
                dDistance.Array<float>(), dDistance.Offset, dx.Array<float>(), dx.Offset, n, dim, l1, _workers);
        }
        else
        {
            NeighbourKernels.NearestBackward(x.Array<double>(), x.Offset, neighbour.Array<double>(), neighbour.Offset, distance.Array<double>(), distance.Offset,
                dDistance.Array<double>(), dDistance.Offset, dx.Array<double>(), dx.Offset, n, dim, l1, _workers);
        }
    }

    /// <summary>The neighbour kernels index arrays past the views' offsets, so the views' sizes are checked here.</summary>
    private static void CheckNeighbours(string kernel, BufferView x, int n, int dim, BufferView distance, BufferView neighbour)
    {
        if (n < 2 || dim < 1 || x.Length < n * dim || distance.Length < n || neighbour.Length < n)
        {
            throw new ArgumentException($"{kernel}: needs n ≥ 2 rows of dim ≥ 1 and views that hold them; got n {n}, dim {dim}, x {x.Length}, distance {distance.Length}, neighbour {neighbour.Length}.");
        }
    }

    /// <summary>The row kernels index arrays past the views' offsets, so the views' sizes are checked here.</summary>
    private static void CheckGaussian(string kernel, BufferView x, BufferView? mu, BufferView? logvar, BufferView rowValues, int rows, int cols, int paramRows)
    {
        if ((mu is null) != (logvar is null))
        {
            throw new ArgumentException($"{kernel}: μ and logvar must both be given, or both be null for the standard normal.");
        }

        if (rows < 0 || cols < 0 || paramRows <= 0 || rows % paramRows != 0 || x.Length < rows * cols || rowValues.Length < rows
            || mu is { } m && m.Length < paramRows * cols || logvar is { } v && v.Length < paramRows * cols)
        {
            throw new ArgumentException($"{kernel}: views (x {x.Length}, μ {mu?.Length}, logvar {logvar?.Length}, rows {rowValues.Length}) do not fit rows {rows}, cols {cols}, parameter rows {paramRows} (rows must be a multiple of them).");
        }
    }

    private static void CheckBernoulli(BufferView logits, BufferView x, BufferView rowValues, int rows, int cols, int xRows)
    {
        if (rows < 0 || cols < 0 || xRows <= 0 && rows > 0 || logits.Length < rows * cols || x.Length < xRows * cols || rowValues.Length < rows)
        {
            throw new ArgumentException($"Bernoulli log-likelihood: views (logits {logits.Length}, x {x.Length}, rows {rowValues.Length}) do not fit rows {rows}, cols {cols}, x rows {xRows}.");
        }
    }

    public void HyperLayer(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh) =>
        HyperLayerSteps.Forward(this, h, inner, outer, targets, uh);

    public void HyperLayerBackward(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh, HyperMatrixGradient[] gradients, BufferView? dh, BufferView scratch) =>
        HyperLayerSteps.Backward(this, h, inner, outer, targets, uh, gradients, dh, scratch, _hyperMatrices);
}
