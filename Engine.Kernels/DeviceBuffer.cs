namespace Engine.Kernels;

/// <summary>
/// A block of memory owned by one backend (host RAM for the CPU backend, device memory for a GPU
/// backend). Code above Engine.Kernels never reads it directly: it passes <see cref="BufferView"/>s
/// to backend kernels and copies data in and out through <see cref="IBackend.Upload{T}"/> and
/// <see cref="IBackend.Download{T}"/>.
/// </summary>
public abstract class DeviceBuffer
{
    protected DeviceBuffer(IBackend backend, DType dtype, int length)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
    }

    public IBackend Backend { get; }

    public DType DType { get; }

    /// <summary>Capacity in elements (a pooled buffer may be longer than the tensor using it).</summary>
    public int Length { get; }

    public override string ToString() => $"{Backend.Name} {DType.Name()}[{Length}]";
}
