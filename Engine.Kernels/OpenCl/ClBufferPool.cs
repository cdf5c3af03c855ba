using System.Numerics;

namespace Engine.Kernels.OpenCl;

/// <summary>
/// Recycles device buffers in power-of-two size classes per element type, as Cpu/BufferPool does
/// for host arrays: after the first training step the same tensors reuse the same cl_mem objects,
/// so steady-state steps create none. Reuse is safe without waiting because the backend's queue is
/// in order: a kernel that writes a recycled buffer runs after every kernel that read it before.
/// </summary>
internal sealed class ClBufferPool(Func<DType, int, ClBuffer> create)
{
    private const int MinClass = 6; // 64 elements: smaller buffers share one class (and no cl_mem is 0 bytes)
    private readonly Stack<ClBuffer>[,] _free = CreateClasses();
    private readonly Lock _lock = new();

    public ClBuffer Rent(DType dtype, int length)
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

    public void Return(ClBuffer buffer)
    {
        var sizeClass = SizeClass(buffer.Length);
        if (1 << sizeClass != buffer.Length)
        {
            return; // not one of ours: its handle releases the cl_mem when collected
        }

        lock (_lock)
        {
            _free[(int)buffer.DType, sizeClass].Push(buffer);
        }
    }

    private static int SizeClass(int length) =>
        Math.Max(MinClass, length <= 1 ? 0 : 32 - BitOperations.LeadingZeroCount((uint)(length - 1)));

    private static Stack<ClBuffer>[,] CreateClasses()
    {
        var classes = new Stack<ClBuffer>[2, 32];
        for (var d = 0; d < 2; d++)
        {
            for (var c = 0; c < 32; c++)
            {
                classes[d, c] = new Stack<ClBuffer>();
            }
        }

        return classes;
    }
}
