namespace Engine.Models.Vae;

/// <summary>
/// A mini-batch's objective: <see cref="Loss"/> = mean over the batch of (reconstruction + KL), the
/// negative ELBO in nats (scalar tensor, on the tape); the per-datum terms are kept for reports.
/// </summary>
public sealed record ElboTerms(Engine.Core.Tensor Loss, Engine.Core.Tensor Reconstruction, Engine.Core.Tensor Kl)
{
    public double MeanReconstruction => Engine.Core.Ops.Mean(Reconstruction).Item();

    public double MeanKl => Engine.Core.Ops.Mean(Kl).Item();
}
