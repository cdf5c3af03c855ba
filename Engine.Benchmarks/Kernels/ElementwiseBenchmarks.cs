using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// Elementwise kernels through CpuBackend (2 threads; above 32k elements they split across both),
/// each against the naive scalar loop it replaced (Baseline, single thread). Lengths: odd
/// (6·512 + 7), the MLP VAE's hidden layer [100, 300], and a conv VAE activation [100, 32, 14, 14].
/// Zero allocations expected.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ElementwiseBenchmarks
{
    private BenchmarkBuffers _buffers = null!;
    private BufferView _x, _dy, _out;
    private float[] _xs = [], _dys = [], _outs = [];

    [Params(6 * 512 + 7, 100 * 300, 100 * 32 * 14 * 14)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _buffers = new BenchmarkBuffers();
        (_x, _xs) = _buffers.Uniform(Length);
        (_dy, _dys) = _buffers.Uniform(Length);
        (_out, _outs) = _buffers.Uniform(Length);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ReluBackward")]
    public void NaiveReluBackward()
    {
        for (var i = 0; i < _outs.Length; i++)
        {
            _outs[i] = _xs[i] > 0 ? _dys[i] : 0;
        }
    }

    [Benchmark]
    [BenchmarkCategory("ReluBackward")]
    public void ReluBackward() => _buffers.Backend.UnaryBackward(UnaryOp.Relu, _x, _x, _dy, _out);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Softplus")]
    public void NaiveSoftplus()
    {
        for (var i = 0; i < _outs.Length; i++)
        {
            _outs[i] = MathF.Max(_xs[i], 0) + float.LogP1(MathF.Exp(-MathF.Abs(_xs[i])));
        }
    }

    [Benchmark]
    [BenchmarkCategory("Softplus")]
    public void Softplus() => _buffers.Backend.Unary(UnaryOp.Softplus, _x, _out);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("TanhBackward")]
    public void NaiveTanhBackward()
    {
        for (var i = 0; i < _outs.Length; i++)
        {
            _outs[i] = _dys[i] * (1 - _xs[i] * _xs[i]);
        }
    }

    [Benchmark]
    [BenchmarkCategory("TanhBackward")]
    public void TanhBackward() => _buffers.Backend.UnaryBackward(UnaryOp.Tanh, _x, _x, _dy, _out);
}
