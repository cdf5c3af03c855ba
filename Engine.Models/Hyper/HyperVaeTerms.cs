using Engine.Core;

namespace Engine.Models.Hyper;

/// <summary>
/// One task's description length per datum (spec hypervae §5): Loss = mean_i [recon_i + KL_z,i] + KL_u/|D|,
/// with the per-datum terms and KL_u kept for reports.
/// </summary>
public sealed record HyperVaeTerms(Tensor Loss, Tensor Reconstruction, Tensor KlZ, Tensor KlU);
