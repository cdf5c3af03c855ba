using BenchmarkDotNet.Attributes;
using Engine.Core;

namespace Engine.Benchmarks.Kernels;

/// <summary>
/// Float32 GEMM C = A·B on the MLP VAE's first-layer shape and a small odd one: the backend's
/// kernel against the naive triple loop (the baseline every result is a ratio of).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernels")]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private Tensor? _ta, _tb, _tc;

    /// <summary>M×K×N.</summary>
    [Params("100x784x300", "67x33x71")]
    public string Size { get; set; } = "100x784x300";

    private int M => int.Parse(Size.Split('x')[0]);

    private int K => int.Parse(Size.Split('x')[1]);

    private int N => int.Parse(Size.Split('x')[2]);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(7);
        _ta = rng.Normal(new Shape(M, K));
        _tb = rng.Normal(new Shape(K, N));
        _tc = Tensor.PersistentZeros(new Shape(M, N));
        _a = _ta.ToFloatArray();
        _b = _tb.ToFloatArray();
        _c = new float[M * N];
    }

    [Benchmark(Baseline = true)]
    public void Naive()
    {
        int m = M, k = K, n = N;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++)
                {
                    sum += _a[i * k + p] * _b[p * n + j];
                }

                _c[i * n + j] = sum;
            }
        }
    }

    [Benchmark]
    public void Gemm() =>
        _tc!.Backend.Gemm(false, false, M, N, K, 1.0, _ta!.View, K, 0, _tb!.View, N, 0, 0.0, _tc.View, N, 0);
}
