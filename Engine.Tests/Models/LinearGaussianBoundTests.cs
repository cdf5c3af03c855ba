using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Bounds;
using Engine.Models.Likelihoods;
using Engine.Models.Priors;
using Engine.Models.Vae;
using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;

namespace Engine.Tests.Models;

/// <summary>
/// p(z) = N(0, I₂), p(x|z) = N(Wz + b, σ²I₃): log p(x) = log N(x; b, WWᵀ + σ²I) is exact, so the
/// IWAE bounds and the IS estimator can be checked against the truth (spec §7, §8 unit tests).
/// The encoder is set to the exact posterior mean with an inflated diagonal variance, so q differs
/// from p(z|x) and the bounds are strict.
/// </summary>
public class LinearGaussianBoundTests
{
    private const double Sigma = 0.5;
    private static readonly double[,] W = { { 1.0, -0.5 }, { 0.3, 0.8 }, { -0.7, 0.2 } };
    private static readonly double[] B = [0.1, -0.2, 0.3];
    private static readonly double[] X = [0.9, -1.1, 0.4];

    private static (VariationalAutoencoder Model, double LogPx) Build()
    {
        var w = Matrix<double>.Build.DenseOfArray(W);
        var covariance = w * w.Transpose() + Sigma * Sigma * Matrix<double>.Build.DenseIdentity(3);
        var diff = Vector<double>.Build.DenseOfArray(X) - Vector<double>.Build.DenseOfArray(B);
        var cholesky = covariance.Cholesky();
        var logPx = -0.5 * (3 * Math.Log(2 * Math.PI) + cholesky.DeterminantLn + diff * cholesky.Solve(diff));

        // Exact posterior: Σ = (I + WᵀW/σ²)⁻¹, mean = Σ Wᵀ (x − b)/σ² = A x + c.
        var posteriorCov = (Matrix<double>.Build.DenseIdentity(2) + w.Transpose() * w / (Sigma * Sigma)).Inverse();
        var a = posteriorCov * w.Transpose() / (Sigma * Sigma);
        var c = -(a * Vector<double>.Build.DenseOfArray(B));

        var rng = new Rng(1);
        var mu = new Dense("mu", 3, 2, rng, dtype: DType.Float64);
        var logvar = new Dense("logvar", 3, 2, rng, dtype: DType.Float64);
        mu.Weight.CopyFrom<double>(a.ToRowMajorArray());
        mu.Bias!.CopyFrom<double>(c.ToArray());
        logvar.Weight.Fill(0);
        logvar.Bias!.CopyFrom<double>([Math.Log(1.5 * posteriorCov[0, 0]), Math.Log(1.5 * posteriorCov[1, 1])]);
        var decoder = new Dense("decoder", 2, 3, rng, dtype: DType.Float64);
        decoder.Weight.CopyFrom<double>(w.ToRowMajorArray());
        decoder.Bias!.CopyFrom<double>(B);
        var encoder = new GaussianEncoder(new Lambda(t => t), mu, logvar);
        var model = new VariationalAutoencoder(encoder, new LayerDecoder(decoder), new GaussianLikelihood(Sigma), _ => new StandardNormalPrior(2, DType.Float64));
        return (model, logPx);
    }

    /// <summary>Monte-Carlo mean of L_k over many replicates of the single x.</summary>
    private static (double Mean, double StdError) Bound(VariationalAutoencoder model, int k, int replicates)
    {
        var x = Tensor.FromArray(Enumerable.Range(0, replicates).SelectMany(_ => X).ToArray(), replicates, 3);
        var values = Engine.Core.Ops.LogMeanExpWeights(model.LogWeights(x, new Rng((ulong)(100 + k)), k), out _).ToDoubleArray();
        var mean = values.Average();
        var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Sum() / (values.Length - 1));
        return (mean, std / Math.Sqrt(values.Length));
    }

    [Test]
    public void IwaeBounds_IncreaseWithK_AndStayBelowLogPx()
    {
        var (model, logPx) = Build();
        var l1 = Bound(model, 1, 20000);
        var l5 = Bound(model, 5, 8000);
        var l50 = Bound(model, 50, 2000);
        TestContext.Out.WriteLine($"log p(x) = {logPx:F5}; L1 = {l1.Mean:F5}±{l1.StdError:F5}; L5 = {l5.Mean:F5}±{l5.StdError:F5}; L50 = {l50.Mean:F5}±{l50.StdError:F5}");
        Assert.That(l1.Mean + 3 * (l1.StdError + l5.StdError), Is.LessThan(l5.Mean), "L1 < L5");
        Assert.That(l5.Mean + 3 * (l5.StdError + l50.StdError), Is.LessThan(l50.Mean), "L5 < L50");
        Assert.That(l50.Mean, Is.LessThan(logPx + 3 * l50.StdError), "L50 ≤ log p(x)");
    }

    [Test]
    public void ImportanceSampledLogLikelihood_ConvergesToLogPx()
    {
        var (model, logPx) = Build();
        var x = Tensor.FromArray(X, 1, 3);
        var estimate = ImportanceSampling.LogLikelihood(model, x, new Rng(7), 50000, chunk: 5000)[0];
        Assert.That(estimate, Is.EqualTo(logPx).Within(0.01));
        var rough = ImportanceSampling.LogLikelihood(model, x, new Rng(7), 10)[0];
        Assert.That(Math.Abs(estimate - logPx), Is.LessThanOrEqualTo(Math.Abs(rough - logPx) + 1e-3));
    }
}
