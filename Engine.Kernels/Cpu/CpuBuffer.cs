namespace Engine.Kernels.Cpu;

/// <summary>A host array owned by the CPU backend.</summary>
public sealed class CpuBuffer<T> : DeviceBuffer where T : unmanaged
{
    internal CpuBuffer(IBackend backend, int length)
        : base(backend, DTypeExtensions.Of<T>(), length)
    {
        Data = GC.AllocateUninitializedArray<T>(length, pinned: false);
    }

    internal T[] Data { get; }
}

/// <summary>Turns views into spans, with the checks that keep a wrong view from reading foreign memory.</summary>
internal static class CpuViews
{
    public static Span<T> Span<T>(this BufferView view) where T : unmanaged
    {
        if (view.Buffer is not CpuBuffer<T> buffer)
        {
            throw new ArgumentException($"Expected a CPU {DTypeExtensions.Of<T>().Name()} buffer, got {view.Buffer}.");
        }

        return buffer.Data.AsSpan(view.Offset, view.Length);
    }

    public static T[] Array<T>(this BufferView view) where T : unmanaged =>
        view.Buffer is CpuBuffer<T> buffer ? buffer.Data : throw new ArgumentException($"Expected a CPU {DTypeExtensions.Of<T>().Name()} buffer, got {view.Buffer}.");
}
