using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Kernels;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// The matrix hyper-layer (IBackend.HyperLayer and its backward) through CpuBackend (2 threads) against the per-target
/// backend calls the composed ops made (Baseline: U·H, (U·H)·V, + B; and dB, dV, g·Vᵀ, dU, dH). Shapes: HyperVAE's 18
/// targets (the conv VAE's tensors, H 20 × 20), its largest alone (560 × 560, whose backward takes the unpacked route,
/// <c>HyperMatrixGradients</c>) and an odd set of three (H 3 × 4). Zero allocations expected.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class HyperLayerBenchmarks
{
    private static readonly (int Rows, int Cols)[] HyperVae =
    [
        (16, 18), (4, 8), (128, 144), (8, 8), (560, 560), (10, 10), (25, 40), (2, 5), (25, 40), (2, 5),
        (25, 40), (10, 10), (560, 560), (56, 56), (128, 144), (4, 8), (16, 18), (1, 1),
    ];

    private static readonly (int Rows, int Cols)[] Odd = [(7, 9), (1, 1), (13, 5)];

    private static readonly (int Rows, int Cols)[] Largest = [(560, 560)];

    private BenchmarkBuffers _buffers = null!;
    private BufferView _h, _uh, _dh, _scratch;
    private HyperMatrix[] _targets = [];
    private HyperMatrixGradient[] _gradients = [];
    private int _inner, _outer;

    [Params("hypervae", "largest", "odd")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var shapes = Shape switch { "odd" => Odd, "largest" => Largest, _ => HyperVae };
        (_inner, _outer) = Shape == "odd" ? (3, 4) : (20, 20);
        _buffers = new BenchmarkBuffers();
        (_h, _) = _buffers.Uniform(_inner * _outer, -1, 1);
        _targets = [.. shapes.Select(s => new HyperMatrix(
            _buffers.Uniform(s.Rows * _inner, -0.1, 0.1).View, _buffers.Uniform(_outer * s.Cols, -0.1, 0.1).View,
            _buffers.Uniform(s.Rows * s.Cols, -1, 1).View, _buffers.Uniform(s.Rows * s.Cols).View, s.Rows, s.Cols, UnaryOp.Identity, 0))];
        _gradients = [.. shapes.Select(s => new HyperMatrixGradient(
            _buffers.Uniform(s.Rows * s.Cols).View, _buffers.Uniform(s.Rows * _inner).View, _buffers.Uniform(_outer * s.Cols).View,
            _buffers.Uniform(s.Rows * s.Cols).View))];
        (_uh, _) = _buffers.Uniform(shapes.Sum(s => s.Rows * _outer));
        (_dh, _) = _buffers.Uniform(_inner * _outer);
        (_scratch, _) = _buffers.Uniform(shapes.Max(s => s.Rows * s.Cols) + shapes.Max(s => s.Rows * _outer));
    }

    [GlobalCleanup]
    public void Cleanup() => _buffers.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("HyperLayer")]
    public void ComposedForward()
    {
        var backend = _buffers.Backend;
        var at = 0;
        foreach (var t in _targets)
        {
            var uh = _uh.Slice(at, t.Rows * _outer);
            at += t.Rows * _outer;
            backend.Gemm(false, false, t.Rows, _outer, _inner, 1, t.U, _inner, 0, _h, _outer, 0, 0, uh, _outer, 0);
            backend.Gemm(false, false, t.Rows, t.Cols, _outer, 1, uh, _outer, 0, t.V, t.Cols, 0, 0, t.W, t.Cols, 0);
            backend.Binary(BinaryOp.Add, t.W, [t.Cols, 1], t.B, [t.Cols, 1], t.W, [t.Rows, t.Cols]);
        }
    }

    [Benchmark]
    [BenchmarkCategory("HyperLayer")]
    public void HyperLayer() => _buffers.Backend.HyperLayer(_h, _inner, _outer, _targets, _uh);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("HyperLayerBackward")]
    public void ComposedBackward()
    {
        var backend = _buffers.Backend;
        var at = 0;
        for (var i = 0; i < _targets.Length; i++)
        {
            var (t, g) = (_targets[i], _gradients[i]);
            var uh = _uh.Slice(at, t.Rows * _outer);
            at += t.Rows * _outer;
            var duh = _scratch.Slice(0, t.Rows * _outer);
            backend.Copy(g.DW, g.DB!.Value);
            backend.Gemm(true, false, _outer, t.Cols, t.Rows, 1, uh, _outer, 0, g.DW, t.Cols, 0, 0, g.DV!.Value, t.Cols, 0);
            backend.Gemm(false, true, t.Rows, _outer, t.Cols, 1, g.DW, t.Cols, 0, t.V, t.Cols, 0, 0, duh, _outer, 0);
            backend.Gemm(false, true, t.Rows, _inner, _outer, 1, duh, _outer, 0, _h, _outer, 0, 0, g.DU!.Value, _inner, 0);
            backend.Gemm(true, false, _inner, _outer, t.Rows, 1, t.U, _inner, 0, duh, _outer, 0, i == 0 ? 0 : 1, _dh, _outer, 0);
        }
    }

    [Benchmark]
    [BenchmarkCategory("HyperLayerBackward")]
    public void HyperLayerBackward() => _buffers.Backend.HyperLayerBackward(_h, _inner, _outer, _targets, _uh, _gradients, _dh, _scratch);
}
