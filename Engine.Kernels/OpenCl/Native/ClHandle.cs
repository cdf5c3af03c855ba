using Microsoft.Win32.SafeHandles;

namespace Engine.Kernels.OpenCl.Native;

/// <summary>
/// A reference-counted OpenCL object: the handle's release calls the matching clRelease* exactly
/// once, when disposed or finalised, so a context outlives every queue, program and buffer made
/// from it only as long as OpenCL itself requires.
/// </summary>
internal abstract class ClHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    protected ClHandle(nint handle)
        : base(ownsHandle: true) => SetHandle(handle);
}

internal sealed class ClContextHandle(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => Cl.ReleaseContext(handle) == 0;
}

internal sealed class ClQueueHandle(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => Cl.ReleaseCommandQueue(handle) == 0;
}

internal sealed class ClProgramHandle(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => Cl.ReleaseProgram(handle) == 0;
}

internal sealed class ClKernelHandle(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => Cl.ReleaseKernel(handle) == 0;
}

internal sealed class ClMemHandle(nint handle) : ClHandle(handle)
{
    protected override bool ReleaseHandle() => Cl.ReleaseMemObject(handle) == 0;
}
