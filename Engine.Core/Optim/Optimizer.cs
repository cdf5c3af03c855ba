namespace Engine.Core.Optim;

/// <summary>Updates a fixed list of parameters from their accumulated gradients.</summary>
public abstract class Optimizer
{
    protected Optimizer(IEnumerable<Tensor> parameters)
    {
        Parameters = parameters.ToArray();
        foreach (var p in Parameters)
        {
            if (!p.RequiresGrad || p.Grad is null)
            {
                throw new ArgumentException($"Optimizer: {p.Describe()} does not require a gradient.");
            }
        }
    }

    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    public double LearningRate { get; set; }

    public abstract void Step();

    public void ZeroGrad()
    {
        foreach (var p in Parameters)
        {
            p.ZeroGrad();
        }
    }

    /// <summary>State tensors to checkpoint with the model (moments, momentum buffers).</summary>
    public abstract IEnumerable<Tensor> State();

    /// <summary>Restores <see cref="StepCount"/> after loading <see cref="State"/>.</summary>
    public void RestoreStepCount(long steps) => StepCount = steps;

    /// <summary>
    /// Scales all gradients so their joint L2 norm is at most <paramref name="maxNorm"/>; returns
    /// the norm before clipping (NaN passes through so the caller can stop the run).
    /// </summary>
    public double ClipGradNorm(double maxNorm)
    {
        var total = 0.0;
        foreach (var p in Parameters)
        {
            total += p.Backend.SumOfSquares(p.Grad!.View);
        }

        var norm = Math.Sqrt(total);
        if (norm > maxNorm)
        {
            var scale = maxNorm / (norm + 1e-12);
            foreach (var p in Parameters)
            {
                p.Backend.Unary(Engine.Kernels.UnaryOp.Affine, p.Grad!.View, p.Grad.View, scale, 0);
            }
        }

        return norm;
    }
}
