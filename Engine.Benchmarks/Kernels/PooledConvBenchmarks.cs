using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// Convolution + 2×2 max-pool as one kernel each way (Conv2dMaxPoolForward, Conv2dMaxPoolBackwardWeight,
/// Conv2dMaxPoolBackwardData) against the separate kernels they replace (Baseline: convolution, then pool; pool backward,
/// then the weight or the data gradient), through
/// CpuBackend (2 threads). Shapes: one generated net's first and second layers in the hypernetwork (32 images, 1 → 32 on
/// 28×28 and 32 → 16 on 14×14, 5×5, SAME), and an odd one that takes the scratch route (3 images, 3 → 4, 10×10, 3×3).
/// Zero allocations expected.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class PooledConvBenchmarks
{
    private BenchmarkBuffers _buffers = null!;
    private ConvGeometry _g;
    private BufferView _x, _w, _b, _y, _dy, _pooled, _code, _dpooled, _dw, _dx;

    [Params("32x1x28x28-32", "32x32x14x14-16", "3x3x10x10-4")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _g = Shape switch
        {
            "3x3x10x10-4" => ConvGeometry.ForConv(3, 3, 10, 10, 4, 3, 3, 1, 1),
            "32x32x14x14-16" => ConvGeometry.ForConv(32, 32, 14, 14, 16, 5, 5, 1, 2),
            _ => ConvGeometry.ForConv(32, 1, 28, 28, 32, 5, 5, 1, 2),
        };
        var windows = _g.OutputLength / 4;
        _buffers = new BenchmarkBuffers();
        (_x, _) = _buffers.Uniform(_g.InputLength);
        (_w, _) = _buffers.Uniform(_g.WeightLength, -0.2, 0.2);
        (_b, _) = _buffers.Uniform(_g.K);
        (_y, _) = _buffers.Uniform(_g.OutputLength);
        (_dy, _) = _buffers.Uniform(_g.OutputLength);
        (_pooled, _) = _buffers.Uniform(windows);
        (_code, _) = _buffers.Uniform(windows);
        (_dpooled, _) = _buffers.Uniform(windows);
        (_dw, _) = _buffers.Uniform(_g.WeightLength);
        (_dx, _) = _buffers.Uniform(_g.InputLength);
        _buffers.Backend.Conv2dMaxPoolForward(_g, _x, _w, _b, _pooled, _code, relu: false);
        _buffers.Backend.Conv2dForward(_g, _x, _w, _b, _y, relu: false);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public void ConvThenPool()
    {
        _buffers.Backend.Conv2dForward(_g, _x, _w, _b, _y, relu: false);
        _buffers.Backend.MaxPool2x2(_y, _pooled, _g.N * _g.K, _g.P, _g.Q);
    }

    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void Conv2dMaxPoolForward() => _buffers.Backend.Conv2dMaxPoolForward(_g, _x, _w, _b, _pooled, _code, relu: false);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BackwardWeight")]
    public void PoolBackwardThenWeightGradient()
    {
        _buffers.Backend.MaxPool2x2Backward(_y, _dpooled, _dy, _g.N * _g.K, _g.P, _g.Q);
        _buffers.Backend.Conv2dBackwardWeight(_g, _x, _dy, _dw, null); // no bias gradient on either side
    }

    [Benchmark]
    [BenchmarkCategory("BackwardWeight")]
    public void Conv2dMaxPoolBackwardWeight() => _buffers.Backend.Conv2dMaxPoolBackwardWeight(_g, _x, _dpooled, _code, _dw, null);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BackwardData")]
    public void PoolBackwardThenDataGradient()
    {
        _buffers.Backend.MaxPool2x2Backward(_y, _dpooled, _dy, _g.N * _g.K, _g.P, _g.Q);
        _buffers.Backend.Conv2dBackwardData(_g, _dy, _w, null, _dx, relu: false);
    }

    [Benchmark]
    [BenchmarkCategory("BackwardData")]
    public void Conv2dMaxPoolBackwardData() => _buffers.Backend.Conv2dMaxPoolBackwardData(_g, _dpooled, _code, _w, _dx);
}
