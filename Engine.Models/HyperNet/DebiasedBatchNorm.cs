using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.HyperNet;

/// <summary>
/// Batch normalisation over [B, F] whose evaluation statistics are zero-debiased exponential moving
/// averages, as the reference's TF <c>ExponentialMovingAverage</c> of the batch moments is: the
/// averages start at 0 and are divided by 1 − decayᵗ after t training steps, so at any step they are
/// a proper weighted mean of the batch statistics seen so far. NOTE: PyTorch-style running statistics
/// that start at (0, 1) keep a 0.98ᵗ weight on that start (45 % after 40 steps) — the generated nets of
/// a short run were then evaluated with wrong statistics and all collapsed to one constant predictor.
/// Training mode normalises with the batch statistics exactly like <see cref="Ops.BatchNorm"/>.
/// </summary>
public sealed class DebiasedBatchNorm : Layer
{
    private readonly Tensor _biasedMean;
    private readonly Tensor _biasedVar;
    private readonly Tensor _steps;

    public DebiasedBatchNorm(string name, int features, double momentum, double eps, DType dtype = DType.Float32)
    {
        if (momentum <= 0 || momentum > 1)
        {
            throw new ArgumentException($"DebiasedBatchNorm '{name}': momentum (1 − decay) must be in (0, 1], got {momentum}.");
        }

        Momentum = momentum;
        Eps = eps;
        Gamma = Parameter.Create(name + ".weight", new Shape(features), t => t.Fill(1), dtype);
        Beta = Parameter.Create(name + ".bias", new Shape(features), t => t.Fill(0), dtype);
        _biasedMean = Named(Tensor.PersistentZeros(new Shape(features), dtype), name + ".ema_mean");
        _biasedVar = Named(Tensor.PersistentZeros(new Shape(features), dtype), name + ".ema_var");
        _steps = Named(Tensor.PersistentZeros(new Shape(1), DType.Float64), name + ".ema_steps");
    }

    public Tensor Gamma { get; }

    public Tensor Beta { get; }

    /// <summary>1 − decay (the reference's decay 0.98 ⇒ 0.02).</summary>
    public double Momentum { get; }

    public double Eps { get; }

    /// <summary>Training steps seen so far (how many batches the averages hold).</summary>
    public long Steps => (long)_steps.Item();

    public override Tensor Forward(Tensor x)
    {
        if (Training)
        {
            // Ops.BatchNorm updates running = (1 − m)·running + m·batch in place; started at zero this is the biased EMA.
            var y = Ops.BatchNorm(x, Gamma, Beta, _biasedMean, _biasedVar, training: true, Momentum, Eps);
            _steps.Backend.Unary(UnaryOp.Affine, _steps.View, _steps.View, 1, 1); // steps + 1 on the device: no host read, so the step can be captured
            return y;
        }

        if (Steps == 0)
        {
            throw new InvalidOperationException("DebiasedBatchNorm: evaluation before any training step has no statistics (the reference forces training mode on the first step).");
        }

        var correction = 1 / (1 - Math.Pow(1 - Momentum, Steps));
        var mean = Ops.Affine(_biasedMean, correction);
        var variance = Ops.Affine(_biasedVar, correction);
        return Ops.BatchNorm(x, Gamma, Beta, mean, variance, training: false, Momentum, Eps);
    }

    protected override IEnumerable<Tensor> OwnParameters() => [Gamma, Beta];

    public override IEnumerable<Tensor> Buffers() => [_biasedMean, _biasedVar, _steps];

    private static Tensor Named(Tensor t, string name)
    {
        t.Name = name;
        return t;
    }
}
