namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    public void Reparameterize(BufferView mu, BufferView logvar, BufferView eps, BufferView z, int samples, int rowsTimesCols)
    {
        var dtype = mu.DType;
        var all = (long)samples * rowsTimesCols;
        Check(nameof(Reparameterize), dtype, mu, rowsTimesCols, "mu");
        Check(nameof(Reparameterize), dtype, logvar, rowsTimesCols, "logvar");
        Check(nameof(Reparameterize), dtype, eps, all, "eps");
        Check(nameof(Reparameterize), dtype, z, all, "z");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.Reparameterize, dtype).View(mu).View(logvar).View(eps).View(z).Int(samples).Int(rowsTimesCols), all);
    }

    public void ReparameterizeBackward(BufferView logvar, BufferView eps, BufferView dz, BufferView? dmu, BufferView? dlogvar, int samples, int rowsTimesCols)
    {
        var dtype = logvar.DType;
        var all = (long)samples * rowsTimesCols;
        Check(nameof(ReparameterizeBackward), dtype, logvar, rowsTimesCols, "logvar");
        Check(nameof(ReparameterizeBackward), dtype, eps, all, "eps");
        Check(nameof(ReparameterizeBackward), dtype, dz, all, "dz");
        if (dmu is { } m)
        {
            Check(nameof(ReparameterizeBackward), dtype, m, rowsTimesCols, "dmu");
        }

        if (dlogvar is { } v)
        {
            Check(nameof(ReparameterizeBackward), dtype, v, rowsTimesCols, "dlogvar");
        }

        if (dmu is null && dlogvar is null)
        {
            return;
        }

        using var scope = _gate.EnterScope();
        // A missing output is passed as logvar with its flag off: the kernel never writes it.
        var args = Args(ClKernelId.ReparameterizeBackward, dtype).View(logvar).View(eps).View(dz)
            .View(dmu ?? logvar).Flag(dmu is not null).View(dlogvar ?? logvar).Flag(dlogvar is not null).Int(samples).Int(rowsTimesCols);
        Enqueue1D(args, rowsTimesCols);
    }

    public void LogMeanExpWeights(BufferView logw, BufferView lme, BufferView weights, int rows, int samples)
    {
        var dtype = logw.DType;
        Check(nameof(LogMeanExpWeights), dtype, logw, (long)rows * samples, "logw");
        Check(nameof(LogMeanExpWeights), dtype, lme, rows, "lme");
        Check(nameof(LogMeanExpWeights), dtype, weights, (long)rows * samples, "weights");
        using var scope = _gate.EnterScope();
        EnqueueRows(Args(ClKernelId.LogMeanExpWeights, dtype).View(logw).View(lme).View(weights).Int(samples), rows);
    }

    public void BernoulliLogLikelihood(BufferView logits, BufferView x, BufferView ll, int rows, int cols, int xRows)
    {
        var dtype = logits.DType;
        Check(nameof(BernoulliLogLikelihood), dtype, logits, (long)rows * cols, "logits");
        Check(nameof(BernoulliLogLikelihood), dtype, x, (long)Math.Min(rows, xRows) * cols, "x");
        Check(nameof(BernoulliLogLikelihood), dtype, ll, rows, "ll");
        using var scope = _gate.EnterScope();
        EnqueueRows(Args(ClKernelId.BernoulliLogLikelihood, dtype).View(logits).View(x).View(ll).Int(cols).Int(xRows), rows);
    }

    public void BernoulliLogLikelihoodBackward(BufferView logits, BufferView x, BufferView dll, BufferView dlogits, int rows, int cols, int xRows)
    {
        var dtype = logits.DType;
        Check(nameof(BernoulliLogLikelihoodBackward), dtype, logits, (long)rows * cols, "logits");
        Check(nameof(BernoulliLogLikelihoodBackward), dtype, x, (long)Math.Min(rows, xRows) * cols, "x");
        Check(nameof(BernoulliLogLikelihoodBackward), dtype, dll, rows, "dll");
        Check(nameof(BernoulliLogLikelihoodBackward), dtype, dlogits, (long)rows * cols, "dlogits");
        using var scope = _gate.EnterScope();
        var args = Args(ClKernelId.BernoulliLogLikelihoodBackward, dtype).View(logits).View(x).View(dll).View(dlogits).Int(rows).Int(cols).Int(xRows);
        Enqueue1D(args, (long)rows * cols);
    }

    public void GaussianLogDensity(BufferView x, BufferView? mu, BufferView? logvar, BufferView ll, int rows, int cols, int paramRows)
    {
        var dtype = x.DType;
        CheckGaussian(nameof(GaussianLogDensity), x, mu, logvar, rows, cols, paramRows);
        Check(nameof(GaussianLogDensity), dtype, ll, rows, "ll");
        using var scope = _gate.EnterScope();
        // The standard normal passes x for μ and logvar with the flag off: the kernel never reads them.
        var args = Args(ClKernelId.GaussianLogDensity, dtype).View(x).View(mu ?? x).View(logvar ?? x).Flag(mu is not null).View(ll).Int(cols).Int(paramRows);
        EnqueueRows(args, rows);
    }

    public void GaussianLogDensityBackward(BufferView x, BufferView? mu, BufferView? logvar, BufferView dll, BufferView? dx, BufferView? dmu, BufferView? dlogvar, int rows, int cols, int paramRows)
    {
        var dtype = x.DType;
        CheckGaussian(nameof(GaussianLogDensityBackward), x, mu, logvar, rows, cols, paramRows);
        Check(nameof(GaussianLogDensityBackward), dtype, dll, rows, "dll");
        if (mu is null && (dmu is not null || dlogvar is not null))
        {
            throw new ArgumentException($"{nameof(GaussianLogDensityBackward)}: the standard normal has no dμ or dlogvar.");
        }

        foreach (var (view, length, name) in new[] { (dx, (long)rows * cols, "dx"), (dmu, (long)paramRows * cols, "dmu"), (dlogvar, (long)paramRows * cols, "dlogvar") })
        {
            if (view is { } v)
            {
                Check(nameof(GaussianLogDensityBackward), dtype, v, length, name);
            }
        }

        var work = mu is null ? rows : paramRows; // the standard normal: one work-item per element of x
        using var scope = _gate.EnterScope();
        var args = Args(ClKernelId.GaussianLogDensityBackward, dtype).View(x).View(mu ?? x).View(logvar ?? x).Flag(mu is not null).View(dll)
            .View(dx ?? x).Flag(dx is not null).View(dmu ?? x).Flag(dmu is not null).View(dlogvar ?? x).Flag(dlogvar is not null)
            .Int(rows).Int(cols).Int(work);
        Enqueue1D(args, (long)work * cols);
    }

    private void CheckGaussian(string kernel, BufferView x, BufferView? mu, BufferView? logvar, int rows, int cols, int paramRows)
    {
        if ((mu is null) != (logvar is null) || rows < 0 || cols < 0 || paramRows <= 0 || rows % paramRows != 0)
        {
            throw new ArgumentException($"{kernel}: μ and logvar must be both given or both null, and rows {rows} a multiple of parameter rows {paramRows} (cols {cols}).");
        }

        Check(kernel, x.DType, x, (long)rows * cols, "x");
        if (mu is { } m && logvar is { } v)
        {
            Check(kernel, x.DType, m, (long)paramRows * cols, "mu");
            Check(kernel, x.DType, v, (long)paramRows * cols, "logvar");
        }
    }

    public void NearestNeighbours(BufferView x, int n, int dim, bool l1, BufferView distance, BufferView neighbour)
    {
        var dtype = x.DType;
        if (n < 2 || dim < 1)
        {
            throw new ArgumentException($"{nameof(NearestNeighbours)}: needs n ≥ 2 rows of dim ≥ 1; got n {n}, dim {dim}.");
        }

        Check(nameof(NearestNeighbours), dtype, x, (long)n * dim, "x");
        Check(nameof(NearestNeighbours), dtype, distance, n, "distance");
        Check(nameof(NearestNeighbours), dtype, neighbour, n, "neighbour");
        using var scope = _gate.EnterScope();
        EnqueueRows(Args(ClKernelId.NearestNeighbours, dtype).View(x).Int(n).Int(dim).Flag(l1).View(distance).View(neighbour), n);
    }

    public void NearestNeighboursBackward(BufferView x, BufferView neighbour, BufferView distance, BufferView dDistance, BufferView dx, int n, int dim, bool l1)
    {
        var dtype = x.DType;
        Check(nameof(NearestNeighboursBackward), dtype, x, (long)n * dim, "x");
        Check(nameof(NearestNeighboursBackward), dtype, neighbour, n, "neighbour");
        Check(nameof(NearestNeighboursBackward), dtype, distance, n, "distance");
        Check(nameof(NearestNeighboursBackward), dtype, dDistance, n, "dDistance");
        Check(nameof(NearestNeighboursBackward), dtype, dx, (long)n * dim, "dx");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.NearestNeighboursBackward, dtype).View(x).View(neighbour).View(distance).View(dDistance).View(dx).Int(n).Int(dim).Flag(l1), dim);
    }

    public void HyperLayer(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh) =>
        HyperLayerSteps.Forward(this, h, inner, outer, targets, uh);

    public void HyperLayerBackward(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh, HyperMatrixGradient[] gradients, BufferView? dh, BufferView scratch) =>
        HyperLayerSteps.Backward(this, h, inner, outer, targets, uh, gradients, dh, scratch);
}
