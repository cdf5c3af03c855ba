using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>Benchmark d: one training step of the HyperVAE-paper conv VAE (z = 10) on 100 random binary 28×28 images.</summary>
public sealed class VaeConvStepWorkload() : ElboStepWorkload(rng => ConvVae.Create(rng))
{
    /// <summary>Spec d: step 1518.4 MFLOP.</summary>
    public override double NominalFlops => 1518.4e6;
}
