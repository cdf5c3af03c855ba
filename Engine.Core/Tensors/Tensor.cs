using Engine.Kernels;

namespace Engine.Core;

/// <summary>
/// A dense row-major tensor: a <see cref="Shape"/> over a contiguous run of a backend buffer.
/// Reshapes and leading-axis slices are views sharing the buffer; other layout changes copy.
/// A tensor allocated inside a <see cref="TensorScope"/> (a <see cref="Tape"/> is one) returns its
/// buffer to the pool when the scope ends; using it afterwards throws.
/// </summary>
public sealed partial class Tensor
{
    private readonly DeviceBuffer _buffer;
    private readonly int _offset;
    private readonly Tensor? _base; // owner of the buffer when this tensor is a view
    private bool _released;

    internal Tensor(Shape shape, DeviceBuffer buffer, int offset, Tensor? viewOf)
    {
        Shape = shape;
        _buffer = buffer;
        _offset = offset;
        _base = viewOf?._base ?? viewOf;
        if (offset + shape.Numel > buffer.Length)
        {
            throw new ArgumentException($"Tensor {shape} at offset {offset} does not fit in {buffer}.");
        }
    }

    public Shape Shape { get; }

    public int Rank => Shape.Rank;

    public int Numel => Shape.Numel;

    public DType DType => _buffer.DType;

    public IBackend Backend => CapturedStep.Intercept(_buffer.Backend);

    /// <summary>Optional name used in error messages and checkpoints (parameters have one).</summary>
    public string? Name { get; set; }

    /// <summary>
    /// Accumulated gradient after <see cref="Tape.Backward"/>; same shape and dtype as this tensor. Null for the output of
    /// an op with an activation (linear, convolutions with an activation, unary functions) whose VJP wrote its result over
    /// this gradient, which no other tensor shared: keep the gradient of such an intermediate by passing it through an
    /// identity first (<c>Ops.Add(t, zero)</c>) if you need to read it.
    /// </summary>
    public Tensor? Grad
    {
        get
        {
            if (_gradZeroPending)
            {
                _gradZeroPending = false;
                CapturedStep.NotePendingZeroConsumed(this);
                _grad!.Fill(0);
            }

            return _grad;
        }

        internal set
        {
            _grad = value;
            _gradZeroPending = false;
        }
    }

    private Tensor? _grad;

    /// <summary>
    /// Set by <see cref="ZeroGrad"/>: the gradient reads as zero, but the buffer is cleared only when
    /// someone reads it first; a backward pass overwrites it instead (one pass over the buffer saved).
    /// </summary>
    private bool _gradZeroPending;

    /// <summary>
    /// Whether gradients flow to this tensor. Setting it on a leaf allocates a zero
    /// <see cref="Grad"/> that outlives every scope, so an unused input reads as zero, not null.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            _requiresGrad = value;
            if (value && Grad is null && IsLeaf)
            {
                Grad = Persistent(Shape, DType, Backend);
                Grad.Fill(0);
            }
        }
    }

    private bool _requiresGrad;

    /// <summary>True unless this tensor is the output of a recorded op.</summary>
    public bool IsLeaf => Creator is null;

    /// <summary>The tape node that produced this tensor, if it was recorded.</summary>
    internal TapeNode? Creator { get; set; }

    /// <summary>The buffer run this tensor covers; throws if its scope has released the buffer.</summary>
    public BufferView View
    {
        get
        {
            if (IsReleased)
            {
                throw new ObjectDisposedException(Describe(), "This tensor's buffer was returned to the pool when its TensorScope/Tape was disposed; keep what you need (scope.Keep or ToArray) before the scope ends.");
            }

            return new BufferView(_buffer, _offset, Numel);
        }
    }

    internal DeviceBuffer Buffer => _buffer;

    internal int Offset => _offset;

    internal bool OwnsBuffer => _base is null;

    /// <summary>True once this tensor's (or its base's) buffer went back to the pool.</summary>
    internal bool IsReleased => _released || (_base?._released ?? false);

    /// <summary>Returns the buffer to the backend's pool (owners only; views just become unusable).</summary>
    internal void Release()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        if (_base is null)
        {
            Backend.Release(_buffer);
        }
    }

    /// <summary>A fresh uninitialised tensor registered with the current scope (if any).</summary>
    internal static Tensor Empty(Shape shape, DType dtype, IBackend backend)
    {
        var tensor = new Tensor(shape, backend.Allocate(dtype, Math.Max(1, shape.Numel)), 0, null);
        TensorScope.Current?.Register(tensor);
        return tensor;
    }

    /// <summary>A fresh uninitialised tensor that no scope releases (parameters, optimiser state, gradients of leaves).</summary>
    internal static Tensor Persistent(Shape shape, DType dtype, IBackend backend) =>
        new(shape, backend.Allocate(dtype, Math.Max(1, shape.Numel)), 0, null);

    internal Tensor EmptyLike() => Empty(Shape, DType, Backend);

    internal string Describe() => $"{Name ?? "tensor"} {DType.Name()}{Shape}";

    public override string ToString()
    {
        if (_released)
        {
            return Describe() + " (released)";
        }

        var values = ToDoubleArray();
        var shown = string.Join(", ", values.Take(8).Select(v => v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));
        return $"{Describe()} {{{shown}{(values.Length > 8 ? ", …" : "")}}}";
    }
}
