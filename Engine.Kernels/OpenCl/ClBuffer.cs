using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>A cl_mem of <see cref="DeviceBuffer.Length"/> elements owned by an <see cref="OpenClBackend"/>.</summary>
public sealed class ClBuffer : DeviceBuffer
{
    internal ClBuffer(OpenClBackend backend, DType dtype, int length, ClMemHandle memory)
        : base(backend, dtype, length)
    {
        Memory = memory;
    }

    internal ClMemHandle Memory { get; }

    internal int ElementSize => DType.SizeInBytes();
}
