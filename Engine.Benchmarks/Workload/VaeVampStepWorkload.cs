using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark c: the MLP VAE of b with a VampPrior of K = 500 pseudo-inputs (hardtanh(0, 1) of a
/// trainable 500×784 matrix, N(0.05, 0.01) init), sampled KL; one step on 100 random binary images.
/// Our pseudo-input layer is the matrix itself: the spec's 500×500 identity product (392 MFLOP of
/// the nominal count) is skipped, so measured GFLOP/s against the nominal count overstate our rate.
/// </summary>
public sealed class VaeVampStepWorkload() : ElboStepWorkload(
    rng => VaeBuilder.Mlp(new MlpVaeSpec(784, Gated: false, Prior: PriorKind.VampPrior, Components: 500), rng))
{
    /// <summary>Spec c: step 2196.4 MFLOP (nominal, identity GEMM included).</summary>
    public override double NominalFlops => 2196.4e6;
}
