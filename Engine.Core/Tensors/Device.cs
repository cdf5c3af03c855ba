using System.Globalization;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.OpenCl;

namespace Engine.Core;

/// <summary>
/// The backend new tensors are created on. One process-wide default (the CPU backend with all
/// cores); the console's --threads and --device flags replace it before any tensor exists.
/// </summary>
public static class Device
{
    private static IBackend _default = new CpuBackend();

    public static IBackend Default
    {
        get => CapturedStep.Intercept(_default);
        set => _default = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Replaces the default with a CPU backend on <paramref name="threads"/> threads (0 = all cores).</summary>
    public static void UseCpu(int threads) => Default = new CpuBackend(threads);

    /// <summary>
    /// Replaces the default with the OpenCL backend on device <paramref name="index"/> (see
    /// <see cref="OpenClDevices.Enumerate"/>); throws with the reason when there is no such device.
    /// </summary>
    public static void UseOpenCl(int index = 0)
    {
        if (!OpenClBackend.TryCreate(index, out var backend, out var reason))
        {
            throw new InvalidOperationException($"No OpenCL device {index}: {reason}");
        }

        Default = backend!;
    }

    /// <summary>
    /// Parses a device flag shared by the console and the workload runner: "cpu" → (false, 0);
    /// "opencl" or "opencl:N" → (true, N); anything else → null.
    /// </summary>
    public static (bool OpenCl, int Index)? Parse(string? text) => text switch
    {
        "cpu" => (false, 0),
        "opencl" => (true, 0),
        _ when text?.StartsWith("opencl:", StringComparison.Ordinal) == true
            && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var index) => (true, index),
        _ => null,
    };

    /// <summary>
    /// Makes a parsed device flag the default: the CPU backend on <paramref name="threads"/> threads
    /// (0 keeps the current CPU default) or OpenCL device N (throws with the reason when absent).
    /// </summary>
    public static void Use((bool OpenCl, int Index) device, int threads)
    {
        if (device.OpenCl)
        {
            UseOpenCl(device.Index);
        }
        else if (threads > 0)
        {
            UseCpu(threads);
        }
    }
}
