using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// The Kozachenko–Leonenko nearest-neighbour search (L1) and its VJP through CpuBackend (2 threads) against the
/// scalar loop over every ordered pair (Baseline). Shapes: the hypernetwork's 32 generated nets of 20,018 weights,
/// and an odd 7 × 1001. Zero allocations expected.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class NeighbourBenchmarks
{
    private BenchmarkBuffers _buffers = null!;
    private BufferView _x, _distance, _neighbour, _dd, _dx;
    private float[] _xs = [], _distances = [], _neighbours = [], _dds = [], _dxs = [];
    private int _n, _dim;

    [Params("32x20018", "7x1001")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var size = Shape.Split('x').Select(int.Parse).ToArray();
        (_n, _dim) = (size[0], size[1]);
        _buffers = new BenchmarkBuffers();
        (_x, _xs) = _buffers.Uniform(_n * _dim);
        (_distance, _distances) = _buffers.Uniform(_n);
        (_neighbour, _neighbours) = _buffers.Uniform(_n);
        (_dd, _dds) = _buffers.Uniform(_n);
        (_dx, _dxs) = _buffers.Uniform(_n * _dim);
        _buffers.Backend.NearestNeighbours(_x, _n, _dim, true, _distance, _neighbour);
        _buffers.Backend.Download<float>(_neighbour, _neighbours);
        _buffers.Backend.Download<float>(_distance, _distances);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("NearestNeighbours")]
    public void NaiveNearestNeighbours()
    {
        for (var i = 0; i < _n; i++)
        {
            var best = float.PositiveInfinity;
            for (var j = 0; j < _n; j++)
            {
                var sum = 0f;
                for (var k = 0; j != i && k < _dim; k++)
                {
                    sum += MathF.Abs(_xs[i * _dim + k] - _xs[j * _dim + k]);
                }

                if (j != i && sum < best)
                {
                    (best, _neighbours[i]) = (sum, j);
                }
            }

            _distances[i] = best;
        }
    }

    [Benchmark]
    [BenchmarkCategory("NearestNeighbours")]
    public void NearestNeighbours() => _buffers.Backend.NearestNeighbours(_x, _n, _dim, true, _distance, _neighbour);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("NearestNeighboursBackward")]
    public void NaiveNearestNeighboursBackward()
    {
        for (var i = 0; i < _n; i++)
        {
            var j = (int)_neighbours[i];
            for (var k = 0; k < _dim; k++)
            {
                var g = _dds[i] * MathF.Sign(_xs[i * _dim + k] - _xs[j * _dim + k]);
                _dxs[i * _dim + k] += g;
                _dxs[j * _dim + k] -= g;
            }
        }
    }

    [Benchmark]
    [BenchmarkCategory("NearestNeighboursBackward")]
    public void NearestNeighboursBackward() => _buffers.Backend.NearestNeighboursBackward(_x, _neighbour, _distance, _dd, _dx, _n, _dim, true);
}
