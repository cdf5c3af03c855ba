using Engine.Kernels;
using Engine.Kernels.Cpu;

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
}
