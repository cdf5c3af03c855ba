namespace Engine.Kernels.OpenCl;

/// <summary>
/// One OpenCL device as <see cref="OpenClDevices.Enumerate"/> lists it. <see cref="Index"/> counts
/// devices over all platforms in the loader's order; it is what <c>--device opencl:index</c> and
/// <see cref="OpenClBackend.TryCreate"/> take.
/// </summary>
public sealed record OpenClDeviceInfo(
    int Index,
    string Platform,
    string Name,
    string Vendor,
    string Version,
    string Kind,
    int ComputeUnits,
    long GlobalMemoryBytes,
    long MaxWorkGroupSize,
    bool SupportsFloat64)
{
    internal nint PlatformId { get; init; }

    internal nint DeviceId { get; init; }

    public override string ToString() =>
        $"opencl:{Index} {Name} ({Kind}, {Platform}; {ComputeUnits} compute units, {GlobalMemoryBytes / (1L << 20)} MiB, fp64 {(SupportsFloat64 ? "yes" : "no")})";
}
