using System.Numerics;

namespace Engine.Kernels;

/// <summary>
/// Recycles buffers (host arrays or device memory) in power-of-two size classes per element type:
/// after the first training step the same tensors reuse the same buffers, so steady-state steps
/// allocate nothing. On a device, reuse is safe without waiting because the backend's queue is in
/// order: a kernel that writes a recycled buffer runs after every kernel that read it before.
/// </summary>
internal sealed class SizeClassPool<TBuffer>(Func<DType, int, TBuffer> create)
    where TBuffer : DeviceBuffer
{
    private const int MinClass = 6; // 64 elements: smaller buffers share one class (and no buffer is 0 bytes)
    private readonly Stack<TBuffer>[,] _free = CreateClasses();
    private readonly Lock _lock = new();

    public TBuffer Rent(DType dtype, int length)
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

        return create(dtype, 1 << sizeClass);
    }

    public void Return(TBuffer buffer)
    {
        var sizeClass = SizeClass(buffer.Length);
        if (1 << sizeClass != buffer.Length)
        {
            return; // not one of ours (wraps a user array, or its cl_mem handle is released when collected)
        }

        lock (_lock)
        {
            _free[(int)buffer.DType, sizeClass].Push(buffer);
        }
    }

    private static int SizeClass(int length) =>
        Math.Max(MinClass, length <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)(length - 1)));

    private static Stack<TBuffer>[,] CreateClasses()
    {
        var classes = new Stack<TBuffer>[2, 32];
        for (var d = 0; d < 2; d++)
        {
            for (var c = 0; c < 32; c++)
            {
                classes[d, c] = new Stack<TBuffer>();
            }
        }

        return classes;
    }
}
