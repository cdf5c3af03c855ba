using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>
/// The OpenCL backend: one context and one in-order command queue on one device, kernels from
/// the embedded OpenCl/Kernels/*.cl built once per element type (float32 always, float64 when the
/// device has cl_khr_fp64), and device buffers recycled by a size-class pool. Kernels are queued
/// without waiting; <see cref="Download{T}"/>, <see cref="Upload{T}"/>, the host-bound reductions
/// (<see cref="Sum"/>, <see cref="SumOfSquares"/>, <see cref="AllFinite"/>), Gather/ScatterAdd's
/// index upload and <see cref="Synchronize"/> are the only points that wait.
/// One instance per device per process (<see cref="TryCreate"/> caches it); calls are serialised by
/// a lock, so it may be shared across threads like the CPU backend. Split into partial files by
/// kernel family, as <see cref="Cpu.CpuBackend"/> is.
/// </summary>
public sealed partial class OpenClBackend : IBackend
{
    private const int Lanes = 64; // work-group size of 1-D kernels and of the row reductions (LANES in common.cl)
    private static readonly Dictionary<int, OpenClBackend> Created = [];
    private static readonly Lock CreateLock = new();

    private readonly ClContextHandle _context;
    private readonly ClQueueHandle _queue;
    private readonly ClProgram _float32;
    private readonly ClProgram? _float64;
    private readonly SizeClassPool<ClBuffer> _pool;
    private readonly Lock _gate = new();
    private readonly ClMemHandle _partials;   // PartialGroups accumulators of partial_sums
    private ClMemHandle? _indices;            // scratch for Gather/ScatterAdd index arrays
    private int _indicesCapacity;

    private unsafe OpenClBackend(OpenClDeviceInfo device)
    {
        Device = device;
        var deviceId = device.DeviceId;
        var properties = stackalloc nint[] { ClConstants.ContextPlatform, device.PlatformId, 0 };
        var context = Cl.CreateContext(properties, 1, &deviceId, 0, 0, out var status);
        ClErrors.Check(status, "clCreateContext");
        _context = new ClContextHandle(context);
        _queue = CreateQueue(_context, deviceId);
        var singleFpConfig = ClInfo.DeviceNumber<ulong>(deviceId, ClConstants.DeviceSingleFpConfig);
        var correctlyRounded = (singleFpConfig & ClConstants.FpCorrectlyRoundedDivideSqrt) != 0;
        _float32 = ClProgram.Build(_context, deviceId, DType.Float32, device.SupportsFloat64, correctlyRounded);
        _float64 = device.SupportsFloat64 ? ClProgram.Build(_context, deviceId, DType.Float64, true, correctlyRounded) : null;
        _pool = new SizeClassPool<ClBuffer>((dtype, length) => new ClBuffer(this, dtype, length, CreateMemory((long)length * dtype.SizeInBytes())));
        _partials = CreateMemory(PartialGroups * sizeof(double));
    }

    /// <summary>The device this backend runs on.</summary>
    public OpenClDeviceInfo Device { get; }

    public string Name => $"opencl:{Device.Index}";

    public int Parallelism => Device.ComputeUnits;

    public bool SupportsFloat64 => _float64 is not null;

    /// <summary>
    /// The backend for device <paramref name="index"/> (see <see cref="OpenClDevices.Enumerate"/>),
    /// created and compiled on first use and shared afterwards. False, with a reason, when OpenCL or
    /// the device is missing or the kernels do not build (the build log is in the reason).
    /// </summary>
    public static bool TryCreate(int index, out OpenClBackend? backend, out string reason)
    {
        lock (CreateLock)
        {
            if (Created.TryGetValue(index, out backend))
            {
                reason = "";
                return true;
            }

            var devices = OpenClDevices.Enumerate(out reason);
            if (devices.Count == 0)
            {
                return false;
            }

            if ((uint)index >= (uint)devices.Count)
            {
                reason = $"OpenCL device index {index} is out of range; found {devices.Count}: {string.Join("; ", devices)}";
                return false;
            }

            var device = devices[index];
            if (device.MaxWorkGroupSize < 256)
            {
                reason = $"{device} allows work-groups of {device.MaxWorkGroupSize} work-items; the GEMM kernel needs 256";
                return false;
            }

            try
            {
                backend = new OpenClBackend(device);
            }
            catch (OpenClException e)
            {
                reason = $"{device}: {e.Message}";
                return false;
            }

            Created[index] = backend;
            return true;
        }
    }

    public DeviceBuffer Allocate(DType dtype, int length)
    {
        if (dtype == DType.Float64 && _float64 is null)
        {
            throw new NotSupportedException($"{Name} ({Device.Name}) has no cl_khr_fp64: float64 tensors need the CPU backend.");
        }

        return _pool.Rent(dtype, length);
    }

    public void Release(DeviceBuffer buffer)
    {
        if (buffer is not ClBuffer cl || !ReferenceEquals(cl.Backend, this))
        {
            throw new ArgumentException($"Buffer {buffer} belongs to another backend.", nameof(buffer));
        }

        _pool.Return(cl);
    }

    public unsafe void Upload<T>(ReadOnlySpan<T> source, BufferView destination) where T : unmanaged
    {
        var buffer = Check(nameof(Upload), DTypeExtensions.Of<T>(), destination, source.Length, "destination");
        CheckLength(source.Length, destination.Length, nameof(Upload));
        if (source.IsEmpty)
        {
            return;
        }

        using var scope = _gate.EnterScope();
        fixed (T* p = source)
        {
            // Blocking: the span is only valid during this call.
            ClErrors.Check(Cl.EnqueueWriteBuffer(_queue, buffer.Memory, ClConstants.True, Bytes(destination.Offset, buffer), Bytes(source.Length, buffer), p, 0, null, null), "clEnqueueWriteBuffer");
        }
    }

    public unsafe void Download<T>(BufferView source, Span<T> destination) where T : unmanaged
    {
        var buffer = Check(nameof(Download), DTypeExtensions.Of<T>(), source, destination.Length, "source");
        CheckLength(source.Length, destination.Length, nameof(Download));
        if (destination.IsEmpty)
        {
            return;
        }

        using var scope = _gate.EnterScope();
        fixed (T* p = destination)
        {
            ClErrors.Check(Cl.EnqueueReadBuffer(_queue, buffer.Memory, ClConstants.True, Bytes(source.Offset, buffer), Bytes(destination.Length, buffer), p, 0, null, null), "clEnqueueReadBuffer");
        }
    }

    public void Synchronize()
    {
        using var scope = _gate.EnterScope();
        ClErrors.Check(Cl.Finish(_queue), "clFinish");
        ReleaseMarkers();
    }

    public unsafe void Fill(BufferView y, double value)
    {
        var buffer = Check(nameof(Fill), y.DType, y, y.Length, "y");
        if (y.Length == 0)
        {
            return;
        }

        using var scope = _gate.EnterScope();
        var single = (float)value;
        var pattern = y.DType == DType.Float32 ? (void*)&single : &value;
        ClErrors.Check(Cl.EnqueueFillBuffer(_queue, buffer.Memory, pattern, (nuint)buffer.ElementSize, Bytes(y.Offset, buffer), Bytes(y.Length, buffer), 0, null, null), "clEnqueueFillBuffer");
        Throttle();
    }

    public unsafe void Copy(BufferView x, BufferView y)
    {
        CheckLength(x.Length, y.Length, nameof(Copy));
        var source = Check(nameof(Copy), y.DType, x, x.Length, "x");
        var target = Check(nameof(Copy), x.DType, y, y.Length, "y");
        if (x.Length == 0 || (ReferenceEquals(source, target) && x.Offset == y.Offset))
        {
            return;
        }

        if (ReferenceEquals(source, target) && Math.Abs(x.Offset - y.Offset) < x.Length)
        {
            // clEnqueueCopyBuffer rejects overlapping ranges (CL_MEM_COPY_OVERLAP): go through a temporary.
            var temporary = _pool.Rent(x.DType, x.Length);
            var view = new BufferView(temporary, 0, x.Length);
            Copy(x, view);
            Copy(view, y);
            _pool.Return(temporary);
            return;
        }

        using var scope = _gate.EnterScope();
        ClErrors.Check(Cl.EnqueueCopyBuffer(_queue, source.Memory, target.Memory, Bytes(x.Offset, source), Bytes(y.Offset, target), Bytes(x.Length, source), 0, null, null), "clEnqueueCopyBuffer");
        Throttle();
    }

    public void CopyBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols) => Blocks(x, xStride, y, yStride, rows, cols, add: false);

    public void AddBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols) => Blocks(x, xStride, y, yStride, rows, cols, add: true);

    public override string ToString() => $"{Name} {Device.Name}";

    private void Blocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols, bool add)
    {
        var kernel = add ? nameof(AddBlocks) : nameof(CopyBlocks);
        var extentX = rows == 0 ? 0 : (long)(rows - 1) * xStride + cols;
        var extentY = rows == 0 ? 0 : (long)(rows - 1) * yStride + cols;
        Check(kernel, x.DType, x, extentX, "x");
        Check(kernel, x.DType, y, extentY, "y");
        using var scope = _gate.EnterScope();
        var args = Args(ClKernelId.CopyBlocks, x.DType).View(x).Int(xStride).View(y).Int(yStride).Int(rows).Int(cols).Flag(add);
        Enqueue2D(args, cols, rows, 16, 16);
    }
}
