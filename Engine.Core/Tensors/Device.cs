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
        get => _default;
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
}
