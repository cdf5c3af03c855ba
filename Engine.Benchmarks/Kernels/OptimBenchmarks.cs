using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// One Adam step and the gradient norm's sum of squares through CpuBackend (2 threads), against the
/// scalar loops they replaced (Baseline). Lengths: odd (6·512 + 7), the MLP VAE's first weight
/// [300, 784], and all 688,464 MLP VAE parameters as one tensor. Zero allocations expected.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class OptimBenchmarks
{
    private const float Lr = 1e-3f, Beta1 = 0.9f, Beta2 = 0.999f, Eps = 1e-8f, C1 = 0.271f, C2 = 0.002997f;
    private BenchmarkBuffers _buffers = null!;
    private BufferView _p, _g, _m, _v;
    private float[] _ps = [], _gs = [], _ms = [], _vs = [];

    [Params(6 * 512 + 7, 300 * 784, 688_464)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _buffers = new BenchmarkBuffers();
        (_p, _ps) = _buffers.Uniform(Length, -0.1, 0.1);
        (_g, _gs) = _buffers.Uniform(Length, -0.01, 0.01);
        (_m, _ms) = _buffers.Uniform(Length, -0.001, 0.001);
        (_v, _vs) = _buffers.Uniform(Length, 0, 1e-5);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Adam")]
    public void NaiveAdam()
    {
        for (var i = 0; i < _ps.Length; i++)
        {
            var g = _gs[i];
            _ms[i] = Beta1 * _ms[i] + (1 - Beta1) * g;
            _vs[i] = Beta2 * _vs[i] + (1 - Beta2) * g * g;
            _ps[i] -= Lr * (_ms[i] / C1 / (MathF.Sqrt(_vs[i] / C2) + Eps));
        }
    }

    [Benchmark]
    [BenchmarkCategory("Adam")]
    public void Adam() => _buffers.Backend.AdamStep(_p, _g, _m, _v, Lr, Beta1, Beta2, Eps, C1, C2, 0, 1);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("SumOfSquares")]
    public double NaiveSumOfSquares()
    {
        var sum = 0.0;
        foreach (var v in _gs)
        {
            sum += (double)v * v;
        }

        return sum;
    }

    [Benchmark]
    [BenchmarkCategory("SumOfSquares")]
    public double SumOfSquares() => _buffers.Backend.SumOfSquares(_g);
}
