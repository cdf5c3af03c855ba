using Engine.Kernels;

namespace Engine.Core;

/// <summary>
/// A step recorded once as its sequence of kernel calls and then replayed on the same buffers: the ops' C# code, the
/// tape's nodes and closures and the step's tensor objects exist only while recording, so a replay allocates nothing
/// and spends no time outside the kernels. It is the CPU counterpart of a CUDA graph, with the same contract:
/// <list type="bullet">
/// <item>The step must do the same work every time: shapes, control flow and scalar arguments are frozen at their
/// recorded values. Anything that would let host code see or supply values inside the step (a download, <c>Item</c>,
/// a scalar reduction to the host, an upload, a gather by host indices, an optimiser step) is refused while recording, with an error naming it,
/// so a step that depends on its data cannot be captured by mistake.</item>
/// <item>New inputs go into tensors made before <see cref="Record"/>; copy them in before each <see cref="Replay"/>.</item>
/// <item>Random fills draw fresh numbers on each replay: every <see cref="Rng"/> the step draws from must be passed to
/// <see cref="Record"/>. A replay draws from each at its current counter and advances it by what the step consumes,
/// so replays give exactly the numbers eager steps would have drawn.</item>
/// <item>Gradients the recorded step overwrote (after <c>ZeroGrad</c>) are overwritten again by each replay, and are
/// then read as they are; gradients it added to are added to again.</item>
/// <item>The tensors the step returns stay readable after each replay, until the captured step is disposed; so do all the
/// step's intermediate buffers, which no other code can be handed in the meantime.</item>
/// </list>
/// Same seed, same thread count: a replay gives bit-for-bit the results of the eager step it recorded.
/// </summary>
public sealed class CapturedStep : IDisposable
{
    [ThreadStatic]
    private static RecordingBackend? _recording;

    private readonly Rng[] _rngs;
    private readonly ulong[] _startCounters;
    private readonly ulong[] _consumed;
    private readonly ulong[] _replayBase;
    private readonly RecordingBackend _backend;
    private readonly List<Tensor> _zeroedGrads = [];
    private readonly List<Tensor> _outputs = [];
    private readonly List<Tensor> _ownedOutputs = [];
    private Action[] _calls = [];
    private bool _disposed;

    private CapturedStep(IBackend backend, Rng[] rngs)
    {
        _rngs = rngs;
        _startCounters = rngs.Select(r => r.Counter).ToArray();
        _consumed = new ulong[rngs.Length];
        _replayBase = new ulong[rngs.Length];
        _backend = new RecordingBackend(backend, this);
    }

    /// <summary>The recorded step's outputs (what <see cref="Record"/>'s step returned), updated by each replay.</summary>
    public IReadOnlyList<Tensor> Outputs => _outputs;

    /// <summary>Number of kernel calls one replay issues.</summary>
    public int KernelCalls => _calls.Length;

    /// <summary>An empty per-call timing of this step's kernel calls, for <see cref="Replay(KernelCallProfile)"/>.</summary>
    public KernelCallProfile CreateProfile() => new(_calls.Select(KernelCallName.Of).ToArray());

    /// <summary>
    /// Runs <paramref name="step"/> once, eagerly (its results are those of a normal step), recording its kernel calls on
    /// <see cref="Device.Default"/>. The step returns the tensors to keep readable (a loss, say); they must own their
    /// buffers (not views).
    /// </summary>
    public static CapturedStep Record(Func<Tensor[]> step, params Rng[] rngs)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_recording is not null)
        {
            throw new InvalidOperationException("CapturedStep.Record: already recording on this thread; captures do not nest.");
        }

        var duplicate = rngs.GroupBy(r => r.Seed).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"CapturedStep.Record: two generators share seed {duplicate.Key}; their draws could not be told apart.");
        }

        var captured = new CapturedStep(Device.Default, rngs);
        var scope = new TensorScope();
        _recording = captured._backend;
        try
        {
            var outputs = step();
            foreach (var output in outputs)
            {
                if (!output.OwnsBuffer)
                {
                    throw new ArgumentException($"CapturedStep.Record: the step returned a view ({output.Describe()}); return a tensor that owns its buffer (Ops.Copy).");
                }

                captured._outputs.Add(output);
            }
        }
        catch
        {
            scope.Dispose();
            _recording = null;
            captured.ReleaseHeld();
            throw;
        }

        foreach (var output in captured._outputs)
        {
            if (scope.Forget(output))
            {
                captured._ownedOutputs.Add(output); // released with the captured step from now on, not by any enclosing scope
            }
        }

        scope.Dispose(); // still recording: what the step left in this scope is held, not returned to the pool
        _recording = null;
        var released = captured._outputs.FirstOrDefault(o => o.IsReleased);
        if (released is not null)
        {
            captured.Dispose();
            throw new InvalidOperationException($"CapturedStep.Record: the step returned {released.Describe()}, which its own scope or tape released when the step ended; return tape.Keep(tensor) instead.");
        }
        for (var i = 0; i < rngs.Length; i++)
        {
            captured._consumed[i] = rngs[i].Counter - captured._startCounters[i];
        }

        captured._calls = [.. captured._backend.Calls];
        return captured;
    }

    /// <summary>
    /// Issues the recorded kernel calls again, on the same buffers, with fresh random numbers, then restores the C# state
    /// the recording left behind (gradients read as computed, not as pending zeros).
    /// </summary>
    public void Replay() => Replay(null);

    /// <summary>
    /// <see cref="Replay()"/>, timing each kernel call into <paramref name="profile"/>, which must come from this step's
    /// <see cref="CreateProfile"/>.
    /// </summary>
    public void Replay(KernelCallProfile? profile)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_recording is not null)
        {
            throw new InvalidOperationException("CapturedStep.Replay: called while recording a step on this thread.");
        }

        if (profile is not null && profile.Calls.Count != _calls.Length)
        {
            throw new ArgumentException($"CapturedStep.Replay: the profile has {profile.Calls.Count} calls, this step {_calls.Length}; make it with this step's CreateProfile.", nameof(profile));
        }

        for (var i = 0; i < _rngs.Length; i++)
        {
            _replayBase[i] = _rngs[i].Counter;
        }

        if (profile is null)
        {
            foreach (var call in _calls)
            {
                call();
            }
        }
        else
        {
            for (var i = 0; i < _calls.Length; i++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                _calls[i]();
                profile.Add(i, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            profile.EndReplay();
        }

        for (var i = 0; i < _rngs.Length; i++)
        {
            _rngs[i].Counter = _replayBase[i] + _consumed[i];
        }

        foreach (var tensor in _zeroedGrads)
        {
            tensor.ClearPendingZero();
        }
    }

    /// <summary>Releases the step's buffers and outputs; the outputs are unusable afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var output in _ownedOutputs)
        {
            output.Release();
        }

        ReleaseHeld();
    }

    /// <summary>The backend ops should use on this thread: the recorder while a step is being recorded.</summary>
    internal static IBackend Intercept(IBackend backend)
    {
        var recording = _recording;
        if (recording is null)
        {
            return backend;
        }

        if (!ReferenceEquals(backend, recording.Inner))
        {
            throw new InvalidOperationException($"CapturedStep.Record: the step uses backend '{backend.Name}', but it is recording on '{recording.Inner.Name}' (Device.Default when Record was called).");
        }

        return recording;
    }

    /// <summary>Notes that the recording consumed a leaf's pending zero, so each replay clears it again.</summary>
    internal static void NotePendingZeroConsumed(Tensor tensor) => (_recording?.Owner)?._zeroedGrads.Add(tensor);

    internal (int Stream, ulong Offset) RandomStream(ulong seed, ulong counter)
    {
        for (var i = 0; i < _rngs.Length; i++)
        {
            if (_rngs[i].Seed == seed)
            {
                return (i, counter - _startCounters[i]);
            }
        }

        throw new InvalidOperationException($"CapturedStep.Record: the step draws random numbers with seed {seed} from a generator not passed to Record; pass every Rng the step draws from, so replays draw fresh numbers.");
    }

    internal ulong ReplayCounter(int stream, ulong offset) => _replayBase[stream] + offset;

    private void ReleaseHeld()
    {
        foreach (var buffer in _backend.HeldReleases)
        {
            buffer.Backend.Release(buffer);
        }
    }
}
