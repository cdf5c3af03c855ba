using Engine.Core;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark a: C = op(A)·op(B), float32 row-major, op(A) [M, K] and op(B) [K, N] standard normal, through the backend
/// GEMM; a transposed operand is stored transposed (A as [K, M], B as [N, K]), as a layer's backward reads it.
/// </summary>
public sealed class GemmWorkload : Workload
{
    private readonly int _m, _k, _n;
    private readonly bool _transA, _transB;
    private readonly Tensor _a, _b, _c;

    public GemmWorkload(int m, int k, int n, bool transA = false, bool transB = false)
    {
        (_m, _k, _n, _transA, _transB) = (m, k, n, transA, transB);
        var rng = new Rng(42);
        _a = rng.Normal(transA ? new Shape(k, m) : new Shape(m, k));
        _b = rng.Normal(transB ? new Shape(n, k) : new Shape(k, n));
        _c = Tensor.PersistentZeros(new Shape(m, n));
    }

    public override double NominalFlops => 2.0 * _m * _k * _n;

    public override void Run() =>
        _c.Backend.Gemm(_transA, _transB, _m, _n, _k, 1.0, _a.View, _transA ? _m : _k, 0, _b.View, _transB ? _k : _n, 0, 0.0, _c.View, _n, 0);
}
