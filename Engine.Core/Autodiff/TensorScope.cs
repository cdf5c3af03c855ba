namespace Engine.Core;

/// <summary>
/// Owns every tensor allocated on this thread while it is the innermost scope and returns their
/// buffers to the backend pool on <see cref="Dispose"/>, so a training step that runs inside one
/// scope allocates nothing new after its first run. Scopes nest.
/// </summary>
public class TensorScope : IDisposable
{
    [ThreadStatic]
    private static TensorScope? _current;

    private readonly TensorScope? _outer;
    private readonly List<Tensor> _owned = [];
    private bool _disposed;

    public TensorScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>The innermost open scope on this thread, or null (tensors are then left to the GC).</summary>
    public static TensorScope? Current => _current;

    /// <summary>Number of tensors this scope will release.</summary>
    public int Count => _owned.Count;

    internal void Register(Tensor tensor) => _owned.Add(tensor);

    /// <summary>Moves <paramref name="tensor"/> to the enclosing scope (or none) so it survives this one.</summary>
    public Tensor Keep(Tensor tensor)
    {
        if (!tensor.OwnsBuffer)
        {
            throw new ArgumentException($"Keep: {tensor.Describe()} is a view; keep a copy (Ops.Copy) instead.");
        }

        if (_owned.Remove(tensor))
        {
            _outer?.Register(tensor);
        }

        return tensor;
    }

    /// <summary>Stops owning <paramref name="tensor"/> without handing it to an enclosing scope (its new owner releases it); false if this scope did not own it.</summary>
    internal bool Forget(Tensor tensor) => _owned.Remove(tensor);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (!ReferenceEquals(_current, this))
        {
            throw new InvalidOperationException("TensorScope disposed out of order: dispose inner scopes first (use `using`).");
        }

        _disposed = true;
        _current = _outer;
        OnDispose();
        foreach (var tensor in _owned)
        {
            tensor.Release();
        }

        _owned.Clear();
        GC.SuppressFinalize(this);
    }

    protected virtual void OnDispose()
    {
    }
}
