namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// y = γ·(x − μ)/√(σ² + ε) + β per feature/channel; VJP: composed from elementwise and reduction
    /// ops (mean, sub, square, sqrt, div, mul, add, reshape), so the gradient — through the batch
    /// statistics in training mode — comes from their VJPs (a composition, not a fused kernel).
    /// x [B, F] (statistics over axis 0) or [N, C, H, W] (over N, H, W per channel); γ, β, running
    /// mean and running variance [F] or [C]. Training: μ, σ² are the batch mean and biased variance,
    /// and the running statistics are updated in place and unrecorded, as PyTorch does:
    /// running = (1 − momentum)·running + momentum·batch, with the unbiased variance for the running
    /// variance. Evaluation: μ, σ² are the running statistics (left unchanged).
    /// </summary>
    public static Tensor BatchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, bool training, double momentum = 0.1, double eps = 1e-5)
    {
        CheckCompatible("batch_norm", x, gamma, beta, runningMean, runningVar);
        if (x.Rank != 2 && x.Rank != 4)
        {
            throw new ArgumentException($"batch_norm: input {x.Shape} must be [B, F] or [N, C, H, W].");
        }

        var channels = x.Shape[1];
        var expected = new Shape(channels);
        foreach (var (what, t) in new[] { ("gamma", gamma), ("beta", beta), ("running mean", runningMean), ("running variance", runningVar) })
        {
            if (t.Shape != expected)
            {
                throw new ArgumentException($"batch_norm: {what} {t.Shape} does not match input {x.Shape} (expected {expected}).");
            }
        }

        if (eps < 0 || momentum < 0 || momentum > 1)
        {
            throw new ArgumentException($"batch_norm: need eps ≥ 0 and momentum in [0, 1]; got eps {eps}, momentum {momentum} (input {x.Shape}).");
        }

        // Per-channel parameters broadcast as [1, C] or [1, C, 1, 1]; statistics reduce the other axes.
        int[] axes = x.Rank == 2 ? [0] : [0, 2, 3];
        int[] paramShape = x.Rank == 2 ? [1, channels] : [1, channels, 1, 1];
        var count = x.Numel / Math.Max(1, channels);

        Tensor mean, variance;
        if (training)
        {
            if (count < 2)
            {
                throw new ArgumentException($"batch_norm: training needs more than one value per channel, got input {x.Shape}.");
            }

            mean = Affine(Sum(x, axes, keepDims: true), 1.0 / count);
            var centered = Sub(x, mean);
            variance = Affine(Sum(Square(centered), axes, keepDims: true), 1.0 / count);
            using (Tape.NoGrad())
            {
                var batchMean = Reshape(mean, channels);
                var unbiased = Affine(Reshape(variance, channels), (double)count / (count - 1));
                runningMean.CopyFrom(Add(Affine(runningMean, 1 - momentum), Affine(batchMean, momentum)));
                runningVar.CopyFrom(Add(Affine(runningVar, 1 - momentum), Affine(unbiased, momentum)));
            }

            var normalized = Div(centered, Sqrt(Affine(variance, 1, eps)));
            return Add(Mul(normalized, Reshape(gamma, paramShape)), Reshape(beta, paramShape));
        }

        mean = Reshape(runningMean, paramShape);
        variance = Reshape(runningVar, paramShape);
        var scaled = Div(Sub(x, mean), Sqrt(Affine(variance, 1, eps)));
        return Add(Mul(scaled, Reshape(gamma, paramShape)), Reshape(beta, paramShape));
    }
}
