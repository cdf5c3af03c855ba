using Engine.Kernels;
using Engine.Kernels.Cpu;

namespace Engine.Benchmarks.Kernels;

/// <summary>Float32 buffers on a 2-thread <see cref="CpuBackend"/> (the PyTorch peer's thread count) for the kernel suites, filled from a fixed seed.</summary>
internal sealed class BenchmarkBuffers : IDisposable
{
    private readonly Random _random = new(42);

    public CpuBackend Backend { get; } = new(threads: 2);

    /// <summary>A view of uniform values in [low, high) and the same values as a plain array (for the naive baselines).</summary>
    public (BufferView View, float[] Array) Uniform(int length, double low = -4, double high = 4)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(low + (high - low) * _random.NextDouble());
        }

        var view = new BufferView(Backend.Allocate(DType.Float32, length), 0, length);
        Backend.Upload<float>(values, view);
        return (view, values);
    }

    public void Dispose() => Backend.Dispose();
}
