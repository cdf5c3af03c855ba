using System.Numerics;
using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// Base of the CPU kernel parity fixtures: one two-thread <see cref="CpuBackend"/> per fixture (two
/// threads so the split-across-cores paths run) and a <see cref="KernelBench{T}"/> on it.
/// </summary>
public abstract class CpuKernelFixture<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private protected CpuBackend Backend { get; private set; } = null!;

    private protected KernelBench<T> Bench { get; private set; } = null!;

    [OneTimeSetUp]
    public void Start()
    {
        Backend = new CpuBackend(threads: 2);
        Bench = new KernelBench<T>(Backend);
    }

    [OneTimeTearDown]
    public void Stop() => Backend.Dispose();
}
