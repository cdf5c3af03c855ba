using Engine.Core;

namespace Engine.Models.HyperNet;

/// <summary>
/// Gauge fixing of the MNIST target network (spec hypernetwork §2), differentiable. Layer by layer,
/// each filter (incoming weights + bias) is scaled to mean square 1 and the next layer's weights
/// that read its channel are multiplied by the same factor — ReLU and max-pool are positively
/// homogeneous, so the network function is unchanged; then the output biases are centred.
/// </summary>
public static class GaugeFixing
{
    public static TargetWeights Apply(TargetWeights w, LogitGauge logitGauge)
    {
        var n = w.Count;
        // Layer 1 → scales the channels layer 2 reads.
        var (w1, b1, s1) = Normalize(w.W1, w.B1, n, 32, 25);
        var w2 = Ops.Mul(w.W2, Ops.Reshape(s1, n, 1, 32, 1, 1));
        var (w2n, b2, s2) = Normalize(w2, w.B2, n, 16, 800);
        // Layer 3 reads layer 2's 16 channels at 49 positions each, in (c, h, w) order.
        var w3 = Ops.Reshape(Ops.Mul(Ops.Reshape(w.W3, n, 8, 16, 49), Ops.Reshape(s2, n, 1, 16, 1)), n, 8, 784);
        var (w3n, b3, s3) = Normalize(w3, w.B3, n, 8, 784);
        var w4 = Ops.Mul(w.W4, Ops.Reshape(s3, n, 8, 1));
        var centre = logitGauge == LogitGauge.Mean ? Ops.Mean(w.B4, 1, keepDims: true) : Ops.Sum(w.B4, 1, keepDims: true);
        var b4 = Ops.Sub(w.B4, centre);
        return new TargetWeights(w1, b1, w2n, b2, w3n, b3, w4, b4);
    }

    /// <summary>s = √((‖w‖² + b²)/n_filter + 1e-8) per filter; returns (w/(s+1e-8), b/(s+1e-8), s [N, F]).</summary>
    private static (Tensor W, Tensor B, Tensor Scale) Normalize(Tensor weights, Tensor bias, int n, int filters, int perFilter)
    {
        var flat = Ops.Reshape(weights, n, filters, perFilter);
        var squares = Ops.Add(Ops.Sum(Ops.Square(flat), 2), Ops.Square(bias));                  // [N, F]
        var scale = Ops.Sqrt(Ops.Affine(squares, 1.0 / (perFilter + 1), 1e-8));
        var divisor = Ops.Affine(scale, 1, 1e-8);
        var w = Ops.Reshape(Ops.Div(flat, Ops.Reshape(divisor, n, filters, 1)), weights.Shape.ToArray());
        return (w, Ops.Div(bias, divisor), scale);
    }
}
