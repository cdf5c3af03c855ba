using Engine.Core;
using Engine.Kernels;

namespace Engine.Tests.Support;

/// <summary>Seeded float64 test inputs.</summary>
public static class Seeds
{
    /// <summary>A float64 tensor of N(0, 1)·scale + shift values from a fixed seed, requiring a gradient.</summary>
    public static Tensor Randn(int seed, int[] shape, double scale = 1, double shift = 0, bool requiresGrad = true)
    {
        var random = new System.Random(seed);
        var n = new Shape(shape).Numel;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = shift + scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return Leaf(values, shape, requiresGrad);
    }

    /// <summary>A float64 tensor of U(low, high) values from a fixed seed, requiring a gradient.</summary>
    public static Tensor Uniform(int seed, int[] shape, double low, double high, bool requiresGrad = true)
    {
        var random = new System.Random(seed);
        var values = new double[new Shape(shape).Numel];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }

        return Leaf(values, shape, requiresGrad);
    }

    public static Tensor Leaf(double[] values, int[] shape, bool requiresGrad = true)
    {
        var t = Tensor.FromSpan<double>(values, shape);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    public static Tensor Leaf(float[] values, int[] shape, bool requiresGrad = true)
    {
        var t = Tensor.FromSpan<float>(values, shape);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    public static DType F64 => DType.Float64;
}
