using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>
/// Lists the OpenCL devices the ICD loader knows. Never throws for a missing or broken OpenCL
/// installation: the list is empty and <c>reason</c> says why, so the CPU backend still works.
/// </summary>
public static class OpenClDevices
{
    public static IReadOnlyList<OpenClDeviceInfo> Enumerate(out string reason)
    {
        try
        {
            Cl.EnsureResolver();
            var devices = Scan();
            reason = devices.Count == 0 ? "the OpenCL loader reports no devices (is a vendor ICD such as pocl-opencl-icd installed?)" : "";
            return devices;
        }
        catch (DllNotFoundException)
        {
            reason = "libOpenCL (the OpenCL ICD loader) was not found; install ocl-icd-libopencl1 and a vendor ICD (e.g. pocl-opencl-icd)";
        }
        catch (EntryPointNotFoundException e)
        {
            reason = $"the OpenCL library lacks an entry point: {e.Message}";
        }
        catch (OpenClException e) when (e.Status == -1001 || e.Status == -1)
        {
            reason = $"no OpenCL platform or device ({e.StatusName}); is a vendor ICD installed under /etc/OpenCL/vendors?";
        }
        catch (OpenClException e)
        {
            reason = e.Message;
        }

        return [];
    }

    private static unsafe List<OpenClDeviceInfo> Scan()
    {
        var found = new List<OpenClDeviceInfo>();
        var status = Cl.GetPlatformIDs(0, null, out var platformCount);
        if (status == -1001 || platformCount == 0)
        {
            return found; // CL_PLATFORM_NOT_FOUND_KHR: a loader without any ICD
        }

        ClErrors.Check(status, "clGetPlatformIDs");
        var platforms = new nint[platformCount];
        fixed (nint* p = platforms)
        {
            ClErrors.Check(Cl.GetPlatformIDs(platformCount, p, out _), "clGetPlatformIDs");
        }

        foreach (var platform in platforms)
        {
            var platformName = ClInfo.PlatformString(platform, ClConstants.PlatformName);
            status = Cl.GetDeviceIDs(platform, ClConstants.DeviceTypeAll, 0, null, out var deviceCount);
            if (status == -1 || deviceCount == 0)
            {
                continue; // CL_DEVICE_NOT_FOUND on this platform
            }

            ClErrors.Check(status, "clGetDeviceIDs");
            var devices = new nint[deviceCount];
            fixed (nint* d = devices)
            {
                ClErrors.Check(Cl.GetDeviceIDs(platform, ClConstants.DeviceTypeAll, deviceCount, d, out _), "clGetDeviceIDs");
            }

            foreach (var device in devices)
            {
                found.Add(Describe(found.Count, platform, platformName, device));
            }
        }

        return found;
    }

    private static OpenClDeviceInfo Describe(int index, nint platform, string platformName, nint device)
    {
        var type = ClInfo.DeviceNumber<ulong>(device, ClConstants.DeviceType);
        var kind = (type & ClConstants.DeviceTypeGpu) != 0 ? "GPU"
            : (type & ClConstants.DeviceTypeCpu) != 0 ? "CPU"
            : (type & ClConstants.DeviceTypeAccelerator) != 0 ? "accelerator" : "other";
        var extensions = ClInfo.DeviceString(device, ClConstants.DeviceExtensions);
        return new OpenClDeviceInfo(
            index,
            platformName,
            ClInfo.DeviceString(device, ClConstants.DeviceName),
            ClInfo.DeviceString(device, ClConstants.DeviceVendor),
            ClInfo.DeviceString(device, ClConstants.DeviceVersion),
            kind,
            (int)ClInfo.DeviceNumber<uint>(device, ClConstants.DeviceMaxComputeUnits),
            (long)ClInfo.DeviceNumber<ulong>(device, ClConstants.DeviceGlobalMemSize),
            (long)ClInfo.DeviceNumber<nuint>(device, ClConstants.DeviceMaxWorkGroupSize),
            extensions.Split(' ').Contains("cl_khr_fp64"))
        {
            PlatformId = platform,
            DeviceId = device,
        };
    }
}
