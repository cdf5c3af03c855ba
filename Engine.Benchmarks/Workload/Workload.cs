namespace Engine.Benchmarks.Workload;

/// <summary>
/// One timed unit of a spec/benchmarks.md workload. The constructor does all set-up (model,
/// inputs, optimiser) outside the timed region; <see cref="Run"/> is the unit that is timed.
/// </summary>
public abstract class Workload
{
    /// <summary>Nominal FLOPs of one <see cref="Run"/> as the spec counts them (GEMM multiply-adds × 2).</summary>
    public abstract double NominalFlops { get; }

    /// <summary>Images processed per run for throughput workloads (IS-NLL), else 0.</summary>
    public virtual int Images => 0;

    /// <summary>The loss of the last <see cref="Run"/> for training-step workloads (to check they train), else null.</summary>
    public double? LastLoss { get; protected set; }

    public abstract void Run();
}
