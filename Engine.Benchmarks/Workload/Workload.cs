using Engine.Core;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// One timed unit of a spec/benchmarks.md workload. The constructor does all set-up (model,
/// inputs, optimiser) outside the timed region; <see cref="Run"/> is the unit that is timed.
/// </summary>
public abstract class Workload
{
    private CapturedStep? _captured;
    private double? _eagerLoss;

    /// <summary>Nominal FLOPs of one <see cref="Run"/> as the spec counts them (GEMM multiply-adds × 2).</summary>
    public abstract double NominalFlops { get; }

    /// <summary>Images processed per run for throughput workloads (IS-NLL), else 0.</summary>
    public virtual int Images => 0;

    /// <summary>
    /// Training steps run through the ops and the tape every time (the runner's <c>--eager</c>) instead of being
    /// recorded on their first run and replayed as a <see cref="CapturedStep"/> after it.
    /// </summary>
    public bool Eager { get; set; }

    /// <summary>
    /// When set, each replay of the captured step times its kernel calls into <see cref="CallProfile"/> (the runner's
    /// <c>--call-times</c>).
    /// </summary>
    public bool ProfileCalls { get; set; }

    /// <summary>The per-call times of the replays run while <see cref="ProfileCalls"/> was set; null until one ran.</summary>
    public KernelCallProfile? CallProfile { get; private set; }

    /// <summary>The loss of the last <see cref="Run"/> for training-step workloads (to check they train), else null.</summary>
    public double? LastLoss => _captured is { } captured ? captured.Outputs[0].Item() : _eagerLoss;

    public abstract void Run();

    /// <summary>
    /// Runs the forward and backward pass of a training step: <paramref name="step"/> records its own tape and returns
    /// the loss it kept (<c>tape.Keep</c>). Unless <see cref="Eager"/>, the first call records it and later calls replay
    /// it, drawing fresh numbers from <paramref name="rngs"/>. The optimiser runs after this, outside the capture.
    /// </summary>
    protected void ForwardBackward(Func<Tensor[]> step, Rng[] rngs)
    {
        if (Eager)
        {
            using var scope = new TensorScope();
            _eagerLoss = step()[0].Item();
        }
        else if (_captured is null)
        {
            _captured = CapturedStep.Record(step, rngs);
        }
        else if (ProfileCalls)
        {
            CallProfile ??= _captured.CreateProfile();
            _captured.Replay(CallProfile);
        }
        else
        {
            _captured.Replay();
        }
    }
}
