using System.Numerics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// The host backend: SIMD kernels (System.Numerics.Tensors and System.Runtime.Intrinsics) over
/// pooled arrays, on a persistent pool of <see cref="Parallelism"/> threads (the caller's included;
/// background threads, started on first parallel use and stopped by <see cref="Dispose"/>). Every
/// public method dispatches on the element type once and runs a generic kernel, so float32 and
/// float64 share one code path. Split into partial files by kernel family.
/// </summary>
public sealed partial class CpuBackend : IBackend, IDisposable
{
    private readonly SizeClassPool<DeviceBuffer> _pool;
    private readonly WorkerPool _workers;
    private readonly HyperMatrixRoute _hyperMatrices;

    public CpuBackend(int threads = 0)
    {
        Parallelism = threads > 0 ? threads : Environment.ProcessorCount;
        _pool = new SizeClassPool<DeviceBuffer>((dtype, length) => dtype == DType.Float32 ? new CpuBuffer<float>(this, length) : new CpuBuffer<double>(this, length));
        _workers = new WorkerPool(Parallelism);
        _hyperMatrices = new HyperMatrixRoute(_workers);
    }

    public string Name => "cpu";

    public int Parallelism { get; }

    public DeviceBuffer Allocate(DType dtype, int length) => _pool.Rent(dtype, length);

    public void Release(DeviceBuffer buffer)
    {
        if (!ReferenceEquals(buffer.Backend, this))
        {
            throw new ArgumentException($"Buffer {buffer} belongs to another backend.", nameof(buffer));
        }

        _pool.Return(buffer);
    }

    public void Upload<T>(ReadOnlySpan<T> source, BufferView destination) where T : unmanaged
    {
        CheckLength(source.Length, destination.Length, nameof(Upload));
        source.CopyTo(destination.Span<T>());
    }

    public void Download<T>(BufferView source, Span<T> destination) where T : unmanaged
    {
        CheckLength(source.Length, destination.Length, nameof(Download));
        source.Span<T>().CopyTo(destination);
    }

    public void Synchronize()
    {
        // Every CPU kernel completes before it returns.
    }

    /// <summary>Stops the worker threads; later calls run on the calling thread only.</summary>
    public void Dispose() => _workers.Dispose();

    public void Fill(BufferView y, double value)
    {
        if (y.DType == DType.Float32)
        {
            ParallelMemory.Fill(_workers, y.Array<float>(), y.Offset, y.Length, (float)value);
        }
        else
        {
            ParallelMemory.Fill(_workers, y.Array<double>(), y.Offset, y.Length, value);
        }
    }

    /// <summary>
    /// y = x, split between the threads when large (<see cref="ParallelMemory"/>). Why: HyperVAE copies each 560 × 560 B
    /// into its generated W and each such W's gradient into dB, 1.25 MB each, and on one thread the other core waited.
    /// </summary>
    public void Copy(BufferView x, BufferView y)
    {
        CheckLength(x.Length, y.Length, nameof(Copy));
        if (x.DType == DType.Float32)
        {
            CopyValues<float>(x, y);
        }
        else
        {
            CopyValues<double>(x, y);
        }
    }

    private void CopyValues<T>(BufferView x, BufferView y) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var (from, to) = (x.Array<T>(), y.Array<T>());
        if (ReferenceEquals(from, to) && x.Offset < y.Offset + y.Length && y.Offset < x.Offset + x.Length)
        {
            x.Span<T>().CopyTo(y.Span<T>()); // overlapping views of one buffer: one move, which takes care of the overlap
            return;
        }

        ParallelMemory.Blocks(_workers, from, x.Offset, 0, to, y.Offset, 0, 1, x.Length, add: false);
    }

    public void CopyBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols)
    {
        if (x.DType == DType.Float32)
        {
            Blocks<float>(x, xStride, y, yStride, rows, cols, add: false);
        }
        else
        {
            Blocks<double>(x, xStride, y, yStride, rows, cols, add: false);
        }
    }

    public void AddBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols)
    {
        if (x.DType == DType.Float32)
        {
            Blocks<float>(x, xStride, y, yStride, rows, cols, add: true);
        }
        else
        {
            Blocks<double>(x, xStride, y, yStride, rows, cols, add: true);
        }
    }

    private void Blocks<T>(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows <= 0 || cols <= 0)
        {
            return;
        }

        // NOTE: the spans check that the last row fits each view before any thread writes
        _ = x.Span<T>().Slice((rows - 1) * xStride, cols);
        _ = y.Span<T>().Slice((rows - 1) * yStride, cols);
        ParallelMemory.Blocks(_workers, x.Array<T>(), x.Offset, xStride, y.Array<T>(), y.Offset, yStride, rows, cols, add);
    }

    private static void CheckLength(int a, int b, string kernel)
    {
        if (a != b)
        {
            throw new ArgumentException($"{kernel}: lengths differ ({a} vs {b}).");
        }
    }
}
