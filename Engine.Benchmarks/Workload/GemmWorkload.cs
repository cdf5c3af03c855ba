using Engine.Core;

namespace Engine.Benchmarks.Workload;

/// <summary>Benchmark a: C = A·B, float32 row-major, A [M, K] and B [K, N] standard normal, through the backend GEMM.</summary>
public sealed class GemmWorkload : Workload
{
    private readonly int _m, _k, _n;
    private readonly Tensor _a, _b, _c;

    public GemmWorkload(int m, int k, int n)
    {
        (_m, _k, _n) = (m, k, n);
        var rng = new Rng(42);
        _a = rng.Normal(new Shape(m, k));
        _b = rng.Normal(new Shape(k, n));
        _c = Tensor.PersistentZeros(new Shape(m, n));
    }

    public override double NominalFlops => 2.0 * _m * _k * _n;

    public override void Run() =>
        _c.Backend.Gemm(false, false, _m, _n, _k, 1.0, _a.View, _k, 0, _b.View, _n, 0, 0.0, _c.View, _n, 0);
}
