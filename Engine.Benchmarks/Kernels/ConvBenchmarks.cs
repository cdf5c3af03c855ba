using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// Conv2d forward, data gradient and weight + bias gradient (im2col + packed GEMM, images split
/// across 2 threads) against a naive direct 7-deep loop (Baseline). Shapes: the conv VAE's second
/// encoder layer (batch 100, 32 → 64, 14×14, 3×3, stride 2, pad 1; spec h "conv-32x64") and an odd
/// one (batch 7, 3 → 5, 13×11, 3×3, stride 1, pad 1). Zero allocations expected after warm-up.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ConvBenchmarks
{
    private BenchmarkBuffers _buffers = null!;
    private ConvGeometry _g;
    private BufferView _x, _w, _b, _y, _dy, _dx, _dw, _db;
    private float[] _xs = [], _ws = [], _ys = [], _dys = [], _dxs = [], _dws = [];

    [Params("100x32x14x14-64s2", "7x3x13x11-5s1")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _g = Shape == "7x3x13x11-5s1" ? ConvGeometry.ForConv(7, 3, 13, 11, 5, 3, 3, 1, 1) : ConvGeometry.ForConv(100, 32, 14, 14, 64, 3, 3, 2, 1);
        _buffers = new BenchmarkBuffers();
        (_x, _xs) = _buffers.Uniform(_g.InputLength);
        (_w, _ws) = _buffers.Uniform(_g.WeightLength, -0.2, 0.2);
        (_b, _) = _buffers.Uniform(_g.K);
        (_y, _ys) = _buffers.Uniform(_g.OutputLength);
        (_dy, _dys) = _buffers.Uniform(_g.OutputLength);
        (_dx, _dxs) = _buffers.Uniform(_g.InputLength);
        (_dw, _dws) = _buffers.Uniform(_g.WeightLength);
        (_db, _) = _buffers.Uniform(_g.K);
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Forward")]
    public void NaiveForward()
    {
        Array.Clear(_ys);
        Taps((xi, wi, yi) => _ys[yi] += _xs[xi] * _ws[wi]);
    }

    [Benchmark]
    [BenchmarkCategory("Forward")]
    public void Forward() => _buffers.Backend.Conv2dForward(_g, _x, _w, _b, _y, relu: false);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BackwardData")]
    public void NaiveBackwardData()
    {
        Array.Clear(_dxs);
        Taps((xi, wi, yi) => _dxs[xi] += _dys[yi] * _ws[wi]);
    }

    [Benchmark]
    [BenchmarkCategory("BackwardData")]
    public void BackwardData() => _buffers.Backend.Conv2dBackwardData(_g, _dy, _w, null, _dx, relu: false);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BackwardWeight")]
    public void NaiveBackwardWeight()
    {
        Array.Clear(_dws);
        Taps((xi, wi, yi) => _dws[wi] += _dys[yi] * _xs[xi]);
    }

    [Benchmark]
    [BenchmarkCategory("BackwardWeight")]
    public void BackwardWeight() => _buffers.Backend.Conv2dBackwardWeight(_g, _x, _dy, _dw, _db);

    /// <summary>Calls tap(x index, w index, y index) for every multiply-add of the convolution that lands inside the image.</summary>
    private void Taps(Action<int, int, int> tap)
    {
        var g = _g;
        for (var n = 0; n < g.N; n++)
        {
            for (var k = 0; k < g.K; k++)
            {
                for (var p = 0; p < g.P; p++)
                {
                    for (var q = 0; q < g.Q; q++)
                    {
                        var yi = ((n * g.K + k) * g.P + p) * g.Q + q;
                        for (var c = 0; c < g.C; c++)
                        {
                            for (var r = 0; r < g.R; r++)
                            {
                                var h = p * g.StrideH - g.PadH + r;
                                if ((uint)h >= (uint)g.H)
                                {
                                    continue;
                                }

                                for (var s = 0; s < g.S; s++)
                                {
                                    var w = q * g.StrideW - g.PadW + s;
                                    if ((uint)w < (uint)g.W)
                                    {
                                        tap(((n * g.C + c) * g.H + h) * g.W + w, ((k * g.C + c) * g.R + r) * g.S + s, yi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
