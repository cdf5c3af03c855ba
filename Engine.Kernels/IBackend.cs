namespace Engine.Kernels;

/// <summary>
/// The one narrow interface every kernel sits behind. Buffers live in the backend's memory (host
/// RAM for <see cref="Cpu.CpuBackend"/>, device memory for a GPU backend); kernels take
/// <see cref="BufferView"/>s and plain scalars and are issued in order, so a GPU backend may queue
/// them asynchronously: only <see cref="Download{T}"/> and <see cref="Synchronize"/> wait.
/// The interface is split into partial files by kernel family.
/// </summary>
public partial interface IBackend
{
    /// <summary>Short name shown in logs and results ("cpu", "opencl:0").</summary>
    string Name { get; }

    /// <summary>Number of worker threads (CPU) or compute units (GPU) the backend uses.</summary>
    int Parallelism { get; }

    /// <summary>A buffer of at least <paramref name="length"/> elements, contents undefined (pooled).</summary>
    DeviceBuffer Allocate(DType dtype, int length);

    /// <summary>Returns a buffer to the pool; the caller must not use it again.</summary>
    void Release(DeviceBuffer buffer);

    /// <summary>Host → device copy of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    void Upload<T>(ReadOnlySpan<T> source, BufferView destination) where T : unmanaged;

    /// <summary>Device → host copy; waits for all queued work that writes the view.</summary>
    void Download<T>(BufferView source, Span<T> destination) where T : unmanaged;

    /// <summary>Waits until every queued kernel has finished.</summary>
    void Synchronize();

    /// <summary>y[i] = value.</summary>
    void Fill(BufferView y, double value);

    /// <summary>y[i] = x[i]; both views have the same length and dtype.</summary>
    void Copy(BufferView x, BufferView y);

    /// <summary>
    /// Copies <paramref name="rows"/> blocks of <paramref name="cols"/> elements from x (block i at
    /// i·xStride) to y (block i at i·yStride). Concat and slice along any axis reduce to this.
    /// </summary>
    void CopyBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols);

    /// <summary>Same as <see cref="CopyBlocks"/> but adds into y.</summary>
    void AddBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols);
}
