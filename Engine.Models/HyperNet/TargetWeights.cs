using Engine.Core;

namespace Engine.Models.HyperNet;

/// <summary>
/// N generated MNIST target networks (spec hypernetwork §4.1), batched over the first axis, in our
/// layouts: W1 [N, 32, 1, 5, 5], B1 [N, 32], W2 [N, 16, 32, 5, 5], B2 [N, 16], W3 [N, 8, 784]
/// (input in (c, h, w) order), B3 [N, 8], W4 [N, 8, 10] (input unit, class), B4 [N, 10].
/// </summary>
public sealed record TargetWeights(Tensor W1, Tensor B1, Tensor W2, Tensor B2, Tensor W3, Tensor B3, Tensor W4, Tensor B4)
{
    /// <summary>Number of weights of one target network: 832 + 12,816 + 6,280 + 90 = 20,018.</summary>
    public const int PerNetwork = 20_018;

    public int Count => W1.Shape[0];

    /// <summary>Every network's weights as one row [N, 20018] (w1, b1, w2, b2, w3, b3, w4, b4), for the entropy and analyses.</summary>
    public Tensor Flatten() => Ops.Concat(1, [.. new[] { W1, B1, W2, B2, W3, B3, W4, B4 }.Select(t => Ops.Reshape(t, Count, -1))]);

    /// <summary>Network <paramref name="n"/> alone (views, no copies).</summary>
    public TargetWeights Single(int n) => new(Pick(W1, n), Pick(B1, n), Pick(W2, n), Pick(B2, n), Pick(W3, n), Pick(B3, n), Pick(W4, n), Pick(B4, n));

    /// <summary>Σ_i c_i·θ_i over nets of one count (paths and weight averaging in gauge-fixed space).</summary>
    public static TargetWeights Combine(IReadOnlyList<(TargetWeights Net, double Coefficient)> terms)
    {
        if (terms.Count == 0)
        {
            throw new ArgumentException("TargetWeights.Combine: needs at least one term.");
        }

        Tensor Sum(Func<TargetWeights, Tensor> part) =>
            terms.Skip(1).Aggregate(Ops.Affine(part(terms[0].Net), terms[0].Coefficient), (acc, t) => Ops.Add(acc, Ops.Affine(part(t.Net), t.Coefficient)));

        return new(Sum(w => w.W1), Sum(w => w.B1), Sum(w => w.W2), Sum(w => w.B2), Sum(w => w.W3), Sum(w => w.B3), Sum(w => w.W4), Sum(w => w.B4));
    }

    private static Tensor Pick(Tensor t, int n) => Ops.Slice(t, 0, n, 1);
}
