using Engine.Core;
using NUnit.Framework;

namespace Engine.Tests.Support;

/// <summary>
/// Finite-difference gradient checks in float64. <see cref="Check"/> compares every input element's
/// analytic gradient of ⟨f(inputs), r⟩ (r a fixed random cotangent, so every output element counts)
/// with a central difference; <see cref="CheckDirection"/> compares one random directional
/// derivative, for whole layers and models where per-element checks would be slow.
/// </summary>
public static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => Check(f, inputs, Tolerances.Eps, Tolerances.Atol, Tolerances.Rtol);

    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps, double atol, double rtol)
    {
        foreach (var input in inputs)
        {
            Assert.That(input.DType, Is.EqualTo(Engine.Kernels.DType.Float64), "gradient checks run in float64");
        }

        var cotangent = Cotangent(f, inputs);
        var analytic = Analytic(f, inputs, cotangent);
        for (var i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].RequiresGrad)
            {
                continue;
            }

            var values = inputs[i].ToDoubleArray();
            for (var j = 0; j < values.Length; j++)
            {
                var original = values[j];
                values[j] = original + eps;
                inputs[i].CopyFrom<double>(values);
                var plus = Evaluate(f, inputs, cotangent);
                values[j] = original - eps;
                inputs[i].CopyFrom<double>(values);
                var minus = Evaluate(f, inputs, cotangent);
                values[j] = original;
                inputs[i].CopyFrom<double>(values);
                var numeric = (plus - minus) / (2 * eps);
                var a = analytic[i][j];
                Assert.That(Math.Abs(a - numeric), Is.LessThanOrEqualTo(atol + rtol * Math.Abs(numeric)),
                    $"input {i} ({inputs[i].Shape}) element {j}: analytic {a:G10} vs numeric {numeric:G10}");
            }
        }
    }

    /// <summary>d/dt ⟨f(x + t·v), r⟩ at t = 0 by central difference vs Σ ∇·v, for one random unit direction v over all inputs.</summary>
    public static void CheckDirection(Func<Tensor[], Tensor> f, Tensor[] inputs, int seed = 7, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        var cotangent = Cotangent(f, inputs);
        var analytic = Analytic(f, inputs, cotangent);
        var random = new System.Random(seed);
        var originals = inputs.Select(t => t.ToDoubleArray()).ToArray();
        var directions = originals.Select(v => v.Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        // A unit direction keeps the finite-difference step eps in parameter space, however many
        // parameters there are (with 10⁵–10⁶ of them an unnormalised step crosses ReLU kinks).
        var norm = Math.Sqrt(directions.Where((_, i) => inputs[i].RequiresGrad).Sum(d => d.Sum(x => x * x)));
        foreach (var d in directions)
        {
            for (var j = 0; j < d.Length; j++)
            {
                d[j] /= norm;
            }
        }

        var expected = 0.0;
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].RequiresGrad)
            {
                expected += analytic[i].Zip(directions[i], (g, d) => g * d).Sum();
            }
        }

        double Shifted(double t)
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                if (inputs[i].RequiresGrad)
                {
                    inputs[i].CopyFrom<double>(originals[i].Zip(directions[i], (x, d) => x + t * d).ToArray());
                }
            }

            return Evaluate(f, inputs, cotangent);
        }

        var numeric = (Shifted(eps) - Shifted(-eps)) / (2 * eps);
        Shifted(0);
        Assert.That(Math.Abs(expected - numeric), Is.LessThanOrEqualTo(atol + rtol * Math.Abs(numeric)),
            $"directional derivative: analytic {expected:G10} vs numeric {numeric:G10}");
    }

    private static double[] Cotangent(Func<Tensor[], Tensor> f, Tensor[] inputs)
    {
        using var scope = new TensorScope();
        using var pause = Tape.NoGrad();
        var n = f(inputs).Numel;
        var random = new System.Random(1234);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    private static double[][] Analytic(Func<Tensor[], Tensor> f, Tensor[] inputs, double[] cotangent)
    {
        foreach (var input in inputs)
        {
            input.ZeroGrad();
        }

        using (var tape = new Tape())
        {
            var y = f(inputs);
            Assert.That(y.RequiresGrad, "the output must depend on an input that requires a gradient");
            tape.Backward(y, Tensor.FromSpan<double>(cotangent, y.Shape));
        }

        return inputs.Select(t => t.RequiresGrad ? t.Grad!.ToDoubleArray() : []).ToArray();
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, double[] cotangent)
    {
        using var scope = new TensorScope();
        using var pause = Tape.NoGrad();
        var y = f(inputs).ToDoubleArray();
        var sum = 0.0;
        for (var i = 0; i < y.Length; i++)
        {
            sum += y[i] * cotangent[i];
        }

        return sum;
    }
}
