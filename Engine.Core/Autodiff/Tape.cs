using Engine.Kernels;

namespace Engine.Core;

/// <summary>
/// Reverse-mode autodiff. While a tape is open on a thread, every op whose inputs require a
/// gradient appends a <see cref="TapeNode"/>; <see cref="Backward"/> seeds the loss gradient and
/// runs the nodes' VJPs in reverse recording order (a valid topological order). The tape is also
/// a <see cref="TensorScope"/>: disposing it releases the step's intermediate buffers.
/// </summary>
public sealed partial class Tape : TensorScope
{
    [ThreadStatic]
    private static Tape? _active;

    [ThreadStatic]
    private static int _pauseDepth;

    private readonly Tape? _outerTape;
    private readonly List<TapeNode> _nodes = [];
    private bool _backwardDone;

    public Tape()
    {
        _outerTape = _active;
        _active = this;
    }

    /// <summary>True when ops on this thread are being recorded.</summary>
    public static bool IsRecording => _active is not null && _pauseDepth == 0;

    /// <summary>Number of recorded ops.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>Suspends recording until disposed (evaluation, optimiser updates, VJPs themselves).</summary>
    public static IDisposable NoGrad() => new PauseScope();

    /// <summary>
    /// Records an op if the tape is on and any input requires a gradient; marks the output as
    /// requiring one. Ops call this right after computing their output.
    /// </summary>
    internal static void Record(string op, Tensor output, Tensor[] inputs, Action<Tensor> backward)
    {
        if (!IsRecording)
        {
            return;
        }

        var needed = false;
        foreach (var input in inputs)
        {
            needed |= input.RequiresGrad;
        }

        if (!needed)
        {
            return;
        }

        var node = new TapeNode(op, output, inputs, backward);
        output.Creator = node;
        output.RequiresGrad = true;
        _active!._nodes.Add(node);
    }

    /// <summary>
    /// Computes d<paramref name="loss"/>/d(every tensor that requires a gradient) and accumulates
    /// it into their <see cref="Tensor.Grad"/>. A non-scalar loss needs an explicit
    /// <paramref name="seed"/> of its shape.
    /// </summary>
    public void Backward(Tensor loss, Tensor? seed = null)
    {
        if (_backwardDone)
        {
            throw new InvalidOperationException("Backward: this tape has already run backward; its intermediate gradients are spent. Record a new Tape for each step.");
        }

        if (!loss.RequiresGrad)
        {
            throw new InvalidOperationException($"Backward: the loss {loss.Describe()} does not depend on any tensor that requires a gradient.");
        }

        if (seed is null && loss.Numel != 1)
        {
            throw new ArgumentException($"Backward: the loss has shape {loss.Shape}; reduce it to a scalar or pass a seed gradient of shape {loss.Shape}.");
        }

        if (seed is not null && (seed.Shape != loss.Shape || seed.DType != loss.DType))
        {
            throw new ArgumentException($"Backward: seed {seed.Describe()} does not match loss {loss.Describe()}.");
        }

        _backwardDone = true;
        using var pause = NoGrad();
        loss.AccumulateGrad(seed ?? Tensor.Full(loss.Shape, 1, loss.DType, loss.Backend));
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.Output.Grad is { } dy)
            {
                node.Backward(dy);
            }
        }
    }

    protected override void OnDispose()
    {
        if (!ReferenceEquals(_active, this))
        {
            throw new InvalidOperationException("Tape disposed out of order: dispose inner tapes first (use `using`).");
        }

        _active = _outerTape;
        foreach (var node in _nodes)
        {
            // Cut recorded outputs loose so nothing reaches the released buffers through them.
            node.Output.Creator = null;
        }

        _nodes.Clear();
    }

    private sealed class PauseScope : IDisposable
    {
        private bool _done;

        public PauseScope() => _pauseDepth++;

        public void Dispose()
        {
            if (!_done)
            {
                _done = true;
                _pauseDepth--;
            }
        }
    }
}
