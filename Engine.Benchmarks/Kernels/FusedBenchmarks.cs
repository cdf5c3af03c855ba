using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// The Bernoulli log-likelihood and its VJP (the VAE decoder's loss) through CpuBackend (2 threads)
/// against the scalar loops they replaced (Baseline). Shapes: the MLP VAE batch [100, 784] and an
/// odd [37, 787]. Zero allocations expected.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class FusedBenchmarks
{
    private BenchmarkBuffers _buffers = null!;
    private BufferView _logits, _x, _ll, _dll, _dlogits;
    private float[] _ls = [], _xs = [], _lls = [], _dlls = [], _dls = [];
    private int _rows, _cols;

    [Params("100x784", "37x787")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var size = Shape.Split('x').Select(int.Parse).ToArray();
        (_rows, _cols) = (size[0], size[1]);
        _buffers = new BenchmarkBuffers();
        (_logits, _ls) = _buffers.Uniform(_rows * _cols, -6, 6);
        (_x, _xs) = _buffers.Uniform(_rows * _cols, 0, 1);
        (_ll, _lls) = _buffers.Uniform(_rows);
        (_dll, _dlls) = _buffers.Uniform(_rows);
        (_dlogits, _dls) = _buffers.Uniform(_rows * _cols);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BernoulliLogLikelihood")]
    public void NaiveBernoulliLogLikelihood()
    {
        for (var r = 0; r < _rows; r++)
        {
            var sum = 0f;
            for (var c = 0; c < _cols; c++)
            {
                var l = _ls[r * _cols + c];
                sum += _xs[r * _cols + c] * l - (MathF.Max(l, 0) + float.LogP1(MathF.Exp(-MathF.Abs(l))));
            }

            _lls[r] = sum;
        }
    }

    [Benchmark]
    [BenchmarkCategory("BernoulliLogLikelihood")]
    public void BernoulliLogLikelihood() => _buffers.Backend.BernoulliLogLikelihood(_logits, _x, _ll, _rows, _cols, _rows);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BernoulliLogLikelihoodBackward")]
    public void NaiveBernoulliLogLikelihoodBackward()
    {
        for (var r = 0; r < _rows; r++)
        {
            for (var c = 0; c < _cols; c++)
            {
                var l = _ls[r * _cols + c];
                var sigmoid = l >= 0 ? 1 / (1 + MathF.Exp(-l)) : MathF.Exp(l) / (1 + MathF.Exp(l));
                _dls[r * _cols + c] = _dlls[r] * (_xs[r * _cols + c] - sigmoid);
            }
        }
    }

    [Benchmark]
    [BenchmarkCategory("BernoulliLogLikelihoodBackward")]
    public void BernoulliLogLikelihoodBackward() => _buffers.Backend.BernoulliLogLikelihoodBackward(_logits, _x, _dll, _dlogits, _rows, _cols, _rows);
}
