using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>Plumbing shared by the kernel families: argument checks, launches, scratch memory.</summary>
public sealed partial class OpenClBackend
{
    private const int PartialGroups = 64; // fixed grid of partial_sums, so Sum is deterministic

    private ClArgs Args(ClKernelId id, DType dtype) => new(Program(dtype)[id]);

    private ClProgram Program(DType dtype) => dtype == DType.Float32 ? _float32
        : _float64 ?? throw new NotSupportedException($"{Name} ({Device.Name}) has no cl_khr_fp64.");

    /// <summary>One work-item per element of [0, count), in work-groups of <see cref="Lanes"/>.</summary>
    private unsafe void Enqueue1D(ClArgs args, long count)
    {
        if (count == 0)
        {
            return;
        }

        var global = (nuint)RoundUp(count, Lanes);
        var local = (nuint)Lanes;
        Enqueue(args, 1, &global, &local);
    }

    /// <summary>One work-group of <see cref="Lanes"/> per row (the row reductions).</summary>
    private unsafe void EnqueueRows(ClArgs args, int rows)
    {
        if (rows == 0)
        {
            return;
        }

        var global = (nuint)((long)rows * Lanes);
        var local = (nuint)Lanes;
        Enqueue(args, 1, &global, &local);
    }

    private unsafe void Enqueue2D(ClArgs args, long x, long y, int localX, int localY)
    {
        if (x == 0 || y == 0)
        {
            return;
        }

        var global = stackalloc nuint[] { (nuint)RoundUp(x, localX), (nuint)RoundUp(y, localY) };
        var local = stackalloc nuint[] { (nuint)localX, (nuint)localY };
        Enqueue(args, 2, global, local);
    }

    private unsafe void Enqueue(ClArgs args, uint dimensions, nuint* global, nuint* local)
    {
        var status = Cl.EnqueueNDRangeKernel(_queue, args.Kernel.Handle, dimensions, null, global, local, 0, null, null);
        if (status != 0)
        {
            throw new OpenClException("clEnqueueNDRangeKernel", status, args.Kernel.Name);
        }

        Throttle();
    }

    /// <summary>
    /// The view's buffer, after checking that it is one of ours, of <paramref name="dtype"/>, and that
    /// the kernel's <paramref name="needed"/> elements lie inside the view. OpenCL does not check
    /// bounds, so this is what stands between a wrong shape and silently corrupted device memory.
    /// </summary>
    private ClBuffer Check(string kernel, DType dtype, BufferView view, long needed, string argument)
    {
        if (view.Buffer is not ClBuffer buffer || !ReferenceEquals(buffer.Backend, this))
        {
            throw new ArgumentException($"{kernel}: {argument} is {view.Buffer?.ToString() ?? "no buffer"}, not a buffer of {Name}.");
        }

        if (buffer.DType != dtype)
        {
            throw new ArgumentException($"{kernel}: {argument} is {buffer.DType.Name()}, expected {dtype.Name()}.");
        }

        if (view.Offset < 0 || view.Length < 0 || (long)view.Offset + view.Length > buffer.Length || needed > view.Length)
        {
            throw new ArgumentException($"{kernel}: {argument} {view} is too short: the kernel touches {needed} elements.");
        }

        return buffer;
    }

    private static void CheckLength(long a, long b, string kernel)
    {
        if (a != b)
        {
            throw new ArgumentException($"{kernel}: lengths differ ({a} vs {b}).");
        }
    }

    private static nuint Bytes(long elements, ClBuffer buffer) => (nuint)(elements * buffer.ElementSize);

    private static long RoundUp(long value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Device buffers created so far (pool misses); a steady training loop stops increasing it.</summary>
    public long BuffersCreated => Interlocked.Read(ref _buffersCreated);

    private long _buffersCreated;

    private unsafe ClMemHandle CreateMemory(long bytes)
    {
        Interlocked.Increment(ref _buffersCreated);
        var memory = Cl.CreateBuffer(_context, ClConstants.MemReadWrite, (nuint)Math.Max(bytes, 1), null, out var status);
        if (status != 0)
        {
            throw new OpenClException("clCreateBuffer", status, $"{bytes} bytes on {Device.Name}");
        }

        return new ClMemHandle(memory);
    }

    private static unsafe ClQueueHandle CreateQueue(ClContextHandle context, nint device)
    {
        int status;
        try
        {
            // In-order, no profiling: properties list is just its terminator.
            var properties = stackalloc ulong[] { 0 };
            var queue = Cl.CreateCommandQueueWithProperties(context, device, properties, out status);
            if (status == 0)
            {
                return new ClQueueHandle(queue);
            }
        }
        catch (EntryPointNotFoundException)
        {
            // an OpenCL 1.x loader: fall back below
        }

        // clCreateCommandQueue is deprecated since OpenCL 2.0 but is all a 1.2 platform has.
        var legacy = Cl.CreateCommandQueue(context, device, 0, out status);
        ClErrors.Check(status, "clCreateCommandQueue");
        return new ClQueueHandle(legacy);
    }

    /// <summary>Copies host ints to the scratch index buffer (blocking: the span dies with the call); the caller holds the lock.</summary>
    private unsafe ClMemHandle UploadIndices(ReadOnlySpan<int> values)
    {
        if (_indices is null || _indicesCapacity < values.Length)
        {
            // Old scratch stays valid for queued kernels: OpenCL keeps a released cl_mem alive until they finish.
            _indices?.Dispose();
            _indicesCapacity = Math.Max(256, (int)Math.Min(int.MaxValue, 2L * values.Length));
            _indices = CreateMemory((long)_indicesCapacity * sizeof(int));
        }

        if (!values.IsEmpty)
        {
            fixed (int* p = values)
            {
                ClErrors.Check(Cl.EnqueueWriteBuffer(_queue, _indices, ClConstants.True, 0, (nuint)(values.Length * sizeof(int)), p, 0, null, null), "clEnqueueWriteBuffer");
            }
        }

        return _indices;
    }

    /// <summary>
    /// Σ f(x) over a view, f by mode (0: x, 1: x², 2: 1 if not finite): partial_sums reduces on the
    /// device into <see cref="PartialGroups"/> accumulators (double when the device has fp64), and the
    /// host adds those in double, in order. Blocking.
    /// </summary>
    private unsafe double HostReduction(BufferView x, int mode, string kernel)
    {
        Check(kernel, x.DType, x, x.Length, "x");
        if (x.Length == 0)
        {
            return 0;
        }

        using var scope = _gate.EnterScope();
        var groups = (int)Math.Min(PartialGroups, (x.Length + Lanes - 1) / Lanes);
        var args = Args(ClKernelId.PartialSums, x.DType).Int(mode).View(x).Int(x.Length).Mem(_partials);
        var global = (nuint)(groups * Lanes);
        var local = (nuint)Lanes;
        Enqueue(args, 1, &global, &local);
        var fp64 = args.Kernel.Fp64;
        var partials = stackalloc double[PartialGroups];
        ClErrors.Check(Cl.EnqueueReadBuffer(_queue, _partials, ClConstants.True, 0, (nuint)(groups * (fp64 ? sizeof(double) : sizeof(float))), partials, 0, null, null), "clEnqueueReadBuffer");
        var sum = 0.0;
        for (var g = 0; g < groups; g++)
        {
            sum += fp64 ? partials[g] : ((float*)partials)[g];
        }

        return sum;
    }
}
