using BenchmarkDotNet.Attributes;
using Engine.Kernels.Cpu;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// sgemm C = A·B (A: M×K, B: K×N row-major, random uniform), shapes named M×K×N as in
/// spec/benchmarks.md §a, on a 2-thread pool like the PyTorch peer. SgemmTransposedB is the linear
/// layer's y = x·Wᵀ. The naive triple loop is the baseline only for the small (model) shapes; at
/// 1024³ it would take seconds per call. Allocations after warm-up should be zero.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
public class GemmBenchmarks
{
    private const int Threads = 2;
    private readonly Dictionary<string, (int M, int K, int N, float[] A, float[] B, float[] C)> _operands = [];
    private WorkerPool _workers = null!;

    public static IEnumerable<string> SmallShapes() => ["100x784x300", "100x300x784"];

    public static IEnumerable<string> AllShapes() => [.. SmallShapes(), "1024x1024x1024", "1000x999x1001"];

    [GlobalSetup]
    public void Setup()
    {
        _workers = new WorkerPool(Threads);
        var random = new Random(42);
        foreach (var shape in AllShapes())
        {
            var size = shape.Split('x').Select(int.Parse).ToArray();
            int m = size[0], k = size[1], n = size[2];
            var a = new float[m * k];
            var b = new float[k * n];
            foreach (var values in new[] { a, b })
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(2 * random.NextDouble() - 1);
                }
            }

            _operands[shape] = (m, k, n, a, b, new float[m * n]);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _workers.Dispose();

    [Benchmark(Baseline = true)]
    [ArgumentsSource(nameof(SmallShapes))]
    public void Naive(string shape)
    {
        var (m, k, n, a, b, c) = _operands[shape];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                {
                    sum += a[i * k + p] * b[p * n + j];
                }

                c[i * n + j] = sum;
            }
        }
    }

    [Benchmark]
    [ArgumentsSource(nameof(AllShapes))]
    public void Sgemm(string shape)
    {
        var (m, k, n, a, b, c) = _operands[shape];
        GemmKernel.Run(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, _workers);
    }

    /// <summary>C = A·Bᵀ with B read as an N×K matrix (a linear layer's weight), same FLOPs.</summary>
    [Benchmark]
    [ArgumentsSource(nameof(AllShapes))]
    public void SgemmTransposedB(string shape)
    {
        var (m, k, n, a, b, c) = _operands[shape];
        GemmKernel.Run(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n, _workers);
    }
}
