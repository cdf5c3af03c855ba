using System.CommandLine;
using System.Runtime.Intrinsics;
using Engine.Kernels.OpenCl;

namespace Engine.Experiments;

/// <summary><c>devices</c>: the CPU backend and every OpenCL device found, with the <c>--device</c> value that selects it.</summary>
public static class DevicesCommand
{
    public static Command Create(TextWriter output)
    {
        var devices = new Command("devices", "List the compute devices `run --device` can use");
        devices.SetAction(_ =>
        {
            var simd = Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : Vector128.IsHardwareAccelerated ? "sse/neon" : "scalar";
            output.WriteLine($"cpu        {Environment.ProcessorCount} cores, {simd} (default; --threads T to limit)");
            var found = OpenClDevices.Enumerate(out var reason);
            foreach (var device in found)
            {
                output.WriteLine(device.ToString());
            }

            if (found.Count == 0)
            {
                output.WriteLine($"opencl     none: {reason}");
            }

            return ExitCodes.Success;
        });
        return devices;
    }
}
