namespace Engine.Kernels.OpenCl.Native;

/// <summary>The numeric parameter names and flags from cl.h that the backend passes.</summary>
internal static class ClConstants
{
    public const ulong DeviceTypeAll = 0xFFFFFFFF;

    public const uint PlatformVersion = 0x0901;
    public const uint PlatformName = 0x0902;
    public const uint PlatformVendor = 0x0903;

    public const uint DeviceType = 0x1000;
    public const uint DeviceMaxComputeUnits = 0x1002;
    public const uint DeviceMaxWorkGroupSize = 0x1004;
    public const uint DeviceMaxMemAllocSize = 0x1010;
    public const uint DeviceSingleFpConfig = 0x101B;
    public const uint DeviceGlobalMemSize = 0x101F;
    public const uint DeviceLocalMemSize = 0x1023;
    public const uint DeviceName = 0x102B;
    public const uint DeviceVendor = 0x102C;
    public const uint DriverVersion = 0x102D;
    public const uint DeviceVersion = 0x102F;
    public const uint DeviceExtensions = 0x1030;

    public const ulong DeviceTypeCpu = 1 << 1;
    public const ulong DeviceTypeGpu = 1 << 2;
    public const ulong DeviceTypeAccelerator = 1 << 3;

    public const ulong FpCorrectlyRoundedDivideSqrt = 1 << 7;

    public const nint ContextPlatform = 0x1084;
    public const uint ProgramBuildLog = 0x1183;
    public const ulong MemReadWrite = 1 << 0;
    public const uint True = 1;
    public const uint False = 0;
}
