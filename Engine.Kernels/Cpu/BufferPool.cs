using System.Numerics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Recycles host arrays in power-of-two size classes per element type, so a training step that
/// allocates the same tensors every step reuses them after the first (warm-up) step.
/// </summary>
internal sealed class BufferPool(IBackend owner)
{
    private const int MinClass = 6; // 64 elements: smaller buffers share one class
    private readonly Stack<DeviceBuffer>[,] _free = CreateClasses();
    private readonly Lock _lock = new();

    public DeviceBuffer Rent(DType dtype, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var sizeClass = SizeClass(length);
        lock (_lock)
        {
            var stack = _free[(int)dtype, sizeClass];
            if (stack.Count > 0)
            {
                return stack.Pop();
            }
        }

        var capacity = 1 << sizeClass;
        return dtype == DType.Float32 ? new CpuBuffer<float>(owner, capacity) : new CpuBuffer<double>(owner, capacity);
    }

    public void Return(DeviceBuffer buffer)
    {
        var sizeClass = SizeClass(buffer.Length);
        if (1 << sizeClass != buffer.Length)
        {
            return; // not one of ours (e.g. wraps a user array): let the GC have it
        }

        lock (_lock)
        {
            _free[(int)buffer.DType, sizeClass].Push(buffer);
        }
    }

    private static int SizeClass(int length) =>
        Math.Max(MinClass, length <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)(length - 1)));

    private static Stack<DeviceBuffer>[,] CreateClasses()
    {
        var classes = new Stack<DeviceBuffer>[2, 32];
        for (var d = 0; d < 2; d++)
        {
            for (var c = 0; c < 32; c++)
            {
                classes[d, c] = new Stack<DeviceBuffer>();
            }
        }

        return classes;
    }
}
