using Engine.Core;
using Engine.Kernels;
using Engine.Models.Flows;
using Engine.Models.Vae;
using Engine.Tests.Support;
using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class FlowTests
{
    /// <summary>log|det J| of z ↦ flow(z) at one point, by central differences (M ≤ 4).</summary>
    private static (double LogDet, Matrix<double> Jacobian) BruteForce(IFlow flow, double[] z, double[]? context)
    {
        var m = z.Length;
        var jacobian = Matrix<double>.Build.Dense(m, m);
        using var noGrad = Tape.NoGrad();
        for (var j = 0; j < m; j++)
        {
            double[] Eval(double delta)
            {
                var p = (double[])z.Clone();
                p[j] += delta;
                var c = context is null ? null : Seeds.Leaf(context, [1, context.Length], false);
                return flow.Forward(Seeds.Leaf(p, [1, m], false), c).Z.ToDoubleArray();
            }

            var plus = Eval(1e-6);
            var minus = Eval(-1e-6);
            for (var i = 0; i < m; i++)
            {
                jacobian[i, j] = (plus[i] - minus[i]) / 2e-6;
            }
        }

        return (Math.Log(Math.Abs(jacobian.Determinant())), jacobian);
    }

    [Test]
    public void PlanarFlow_LogDet_MatchesTheBruteForceJacobian()
    {
        var flow = new PlanarFlow(4, 3, new Rng(1), DType.Float64);
        foreach (var p in flow.Parameters())
        {
            new Rng(2).FillNormal(p, 0, 0.8); // large enough that the steps really bend z
        }

        double[] z = [0.3, -1.2, 0.7, 0.1];
        var logdet = flow.Forward(Seeds.Leaf(z, [1, 4], false), null).LogDet.Item();
        Assert.That(logdet, Is.EqualTo(BruteForce(flow, z, null).LogDet).Within(1e-6));
    }

    [Test]
    public void Iaf_LogDet_MatchesTheBruteForceJacobian_AndEachStepIsTriangular()
    {
        var flow = new InverseAutoregressiveFlow(4, 3, 2, 8, new Rng(3), DType.Float64);
        double[] z = [0.5, -0.4, 1.1, -0.9];
        double[] context = [0.2, -0.7, 0.4];
        var logdet = flow.Forward(Seeds.Leaf(z, [1, 4], false), Seeds.Leaf(context, [1, 3], false)).LogDet.Item();
        Assert.That(logdet, Is.EqualTo(BruteForce(flow, z, context).LogDet).Within(1e-6));

        var single = new InverseAutoregressiveFlow(4, 3, 1, 8, new Rng(4), DType.Float64);
        var (_, jacobian) = BruteForce(single, z, context);
        for (var i = 0; i < 4; i++)
        {
            for (var j = i + 1; j < 4; j++)
            {
                Assert.That(jacobian[i, j], Is.EqualTo(0).Within(1e-9), $"output {i} must not depend on input {j} ≥ {i}");
            }
        }
    }

    [Test]
    public void IafMasks_AreAutoregressive_InBothOrders()
    {
        foreach (var reverse in new[] { false, true })
        {
            var (m1, m2) = InverseAutoregressiveFlow.Masks(5, 12, reverse);
            var w1 = Matrix<double>.Build.Dense(12, 5, (r, c) => m1[r * 5 + c]);
            var w2 = Matrix<double>.Build.Dense(5, 12, (r, c) => m2[r * 12 + c]);
            var connectivity = w2 * w1; // output i ← input j
            for (var i = 0; i < 5; i++)
            {
                for (var j = 0; j < 5; j++)
                {
                    var allowed = reverse ? j > i : j < i;
                    if (!allowed)
                    {
                        Assert.That(connectivity[i, j], Is.Zero, $"reverse={reverse}: output {i} reads input {j}");
                    }
                }
            }
        }
    }

    [Test]
    public void GradCheck_VaeWithIafFlow_Direction()
    {
        var model = VaeBuilder.Mlp(new MlpVaeSpec(Inputs: 6, Hidden: 5, HiddenLayers: 1, Latents: 3, Gated: false), new Rng(5), DType.Float64);
        var withFlow = new VariationalAutoencoder(model.Encoder, model.Decoder, model.Likelihood, _ => model.Prior)
        {
            Flow = new InverseAutoregressiveFlow(3, 5, 2, 6, new Rng(6), DType.Float64),
        };
        var x = Seeds.Uniform(7, [4, 6], 0, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => withFlow.Elbo(x, new Rng(8)).Loss, withFlow.Parameters().ToArray());
    }
}
