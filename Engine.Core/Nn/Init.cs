using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>Weight initialisers. Fan-in/fan-out follow PyTorch: [out, in] for dense, [K, C, R, S] → C·R·S / K·R·S for conv.</summary>
public static class Init
{
    public static (int FanIn, int FanOut) Fans(Shape shape)
    {
        if (shape.Rank < 2)
        {
            return (shape.Numel, shape.Numel);
        }

        var receptive = shape.Numel / (shape[0] * shape[1]);
        return (shape[1] * receptive, shape[0] * receptive);
    }

    /// <summary>U(−b, b), b = √(6 / (fan_in + fan_out)) (Glorot &amp; Bengio 2010).</summary>
    public static void GlorotUniform(Tensor w, Rng rng)
    {
        var (fanIn, fanOut) = Fans(w.Shape);
        var bound = Math.Sqrt(6.0 / (fanIn + fanOut));
        rng.FillUniform(w, -bound, bound);
    }

    /// <summary>N(0, 2 / (fan_in + fan_out)).</summary>
    public static void GlorotNormal(Tensor w, Rng rng)
    {
        var (fanIn, fanOut) = Fans(w.Shape);
        rng.FillNormal(w, 0, Math.Sqrt(2.0 / (fanIn + fanOut)));
    }

    /// <summary>N(0, 2 / fan_in) (He et al. 2015, for ReLU layers).</summary>
    public static void HeNormal(Tensor w, Rng rng)
    {
        var (fanIn, _) = Fans(w.Shape);
        rng.FillNormal(w, 0, Math.Sqrt(2.0 / fanIn));
    }

    /// <summary>N(mean, std²).</summary>
    public static void Normal(Tensor w, Rng rng, double std, double mean = 0) => rng.FillNormal(w, mean, std);

    /// <summary>U(−1/√fan_in, 1/√fan_in): PyTorch's default for Linear/Conv weights and biases.</summary>
    public static void PyTorchDefault(Tensor t, Rng rng, int fanIn)
    {
        var bound = 1.0 / Math.Sqrt(fanIn);
        rng.FillUniform(t, -bound, bound);
    }

    public static void Zeros(Tensor t) => t.Fill(0);

    /// <summary>
    /// N(0, std²) truncated to ±2·std by redrawing (TensorFlow's truncated_normal, used by the
    /// hypernetwork reference with std = 0.1/√fan_in). Drawn on the host from the tensor's stream.
    /// </summary>
    public static void TruncatedNormal(Tensor t, Rng rng, double std)
    {
        var values = new double[t.Numel];
        for (var i = 0; i < values.Length; i++)
        {
            double v;
            do
            {
                v = rng.NextNormal();
            }
            while (Math.Abs(v) > 2);

            values[i] = v * std;
        }

        if (t.DType == DType.Float64)
        {
            t.CopyFrom<double>(values);
        }
        else
        {
            t.CopyFrom<float>(Array.ConvertAll(values, v => (float)v));
        }
    }
}
