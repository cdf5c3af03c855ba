using Engine.Models.Bayesian;
using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class BayesianOptimizationTests
{
    private static double Branin(double[] p)
    {
        double x = p[0], y = p[1];
        var b = 5.1 / (4 * Math.PI * Math.PI);
        var c = 5 / Math.PI;
        var t = 1 / (8 * Math.PI);
        return Math.Pow(y - b * x * x + c * x - 6, 2) + 10 * (1 - t) * Math.Cos(x) + 10;
    }

    private static readonly double[,] HartmannA = { { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 } };
    private static readonly double[,] HartmannP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    private static double Hartmann6(double[] x)
    {
        double[] alpha = [1.0, 1.2, 3.0, 3.2];
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var inner = 0.0;
            for (var j = 0; j < 6; j++)
            {
                inner += HartmannA[i, j] * Math.Pow(x[j] - HartmannP[i, j], 2);
            }

            sum += alpha[i] * Math.Exp(-inner);
        }

        return -sum;
    }

    [Test]
    public void FindsTheBraninMinimum_Within40Evaluations()
    {
        var bo = new BayesianOptimizer([-5, 0], [10, 15], seed: 1);
        var best = bo.Minimize(Branin, 40);
        TestContext.Out.WriteLine($"Branin best {best.Value:F4} at [{string.Join(", ", best.Point.Select(v => v.ToString("F3")))}]; optimum 0.3979");
        Assert.That(best.Value, Is.LessThan(0.3979 + 0.05));
    }

    [Test]
    public void FindsTheHartmann6Minimum_Within80Evaluations()
    {
        var bo = new BayesianOptimizer(Enumerable.Repeat(0.0, 6).ToArray(), Enumerable.Repeat(1.0, 6).ToArray(), seed: 2, new BayesianOptimizerOptions(InitialPoints: 10));
        var best = bo.Minimize(Hartmann6, 80);
        TestContext.Out.WriteLine($"Hartmann-6 best {best.Value:F4}; optimum −3.3224");
        Assert.That(best.Value, Is.LessThan(-3.3224 + 0.1));
    }

    [Test]
    public void OnTheUnitCube_WithARefitEvery10_StillFindsBranin_AndEvaluatesInsideTheBox()
    {
        var bo = new BayesianOptimizer([-5, 0], [10, 15], seed: 1, new BayesianOptimizerOptions(InitialPoints: 10, RefitEvery: 10, UnitCube: true));
        var best = bo.Minimize(Branin, 60);
        TestContext.Out.WriteLine($"Branin best {best.Value:F4} at [{string.Join(", ", best.Point.Select(v => v.ToString("F3")))}]");
        Assert.That(best.Value, Is.LessThan(0.3979 + 0.05));
        Assert.That(bo.History.All(e => e.Point[0] is >= -5 and <= 10 && e.Point[1] is >= 0 and <= 15), "points are reported in the box's coordinates");
    }

    [Test]
    public void NegativeLogLikelihoodGradient_MatchesFiniteDifferencesOfTheMarginalLikelihood()
    {
        var random = new System.Random(5);
        var x = Matrix<double>.Build.Dense(9, 3, (_, _) => random.NextDouble());
        var y = Vector<double>.Build.Dense(9, i => Math.Cos(3 * x[i, 0]) + x[i, 1] * x[i, 2]);
        var theta = Vector<double>.Build.DenseOfArray([-0.5, 0.2, -1.0, 0.3, -2.5]);
        var (_, gradient) = GaussianProcess.NegativeLogLikelihood(x, y, theta);
        for (var p = 0; p < theta.Count; p++)
        {
            var plus = theta.Clone();
            var minus = theta.Clone();
            plus[p] += 1e-6;
            minus[p] -= 1e-6;
            var numeric = -(GaussianProcess.Create(x, y, plus).LogMarginalLikelihood - GaussianProcess.Create(x, y, minus).LogMarginalLikelihood) / 2e-6;
            Assert.That(gradient[p], Is.EqualTo(numeric).Within(1e-5 * Math.Max(1, Math.Abs(numeric))), $"hyper-parameter {p}");
        }
    }

    [Test]
    public void BadBoxesAndOptions_GiveClearErrors()
    {
        Assert.That(() => new BayesianOptimizer([0, 1], [1, 1], 1), Throws.ArgumentException.With.Message.Contains("lower < upper"));
        Assert.That(() => new BayesianOptimizer([0], [1], 1, new BayesianOptimizerOptions(RefitEvery: 0)), Throws.ArgumentException.With.Message.Contains("RefitEvery"));
    }

    [Test]
    public void GaussianProcess_InterpolatesItsData_AndIsUncertainFarAway()
    {
        var x = Matrix<double>.Build.DenseOfArray(new double[,] { { 0 }, { 1 }, { 2 }, { 3 } });
        var y = Vector<double>.Build.DenseOfArray([0.0, 0.8, 0.9, 0.1]);
        var gp = GaussianProcess.Fit(x, y, new System.Random(3));
        var (mean, std) = gp.Predict(Vector<double>.Build.DenseOfArray([1.0]));
        Assert.That(mean, Is.EqualTo(0.8).Within(0.05));
        Assert.That(gp.Predict(Vector<double>.Build.DenseOfArray([30.0])).Std, Is.GreaterThan(5 * std));
    }

    [Test]
    public void MarginalLikelihoodGradient_MatchesFiniteDifferences()
    {
        var random = new System.Random(4);
        var x = Matrix<double>.Build.Dense(8, 2, (_, _) => random.NextDouble() * 4);
        var y = Vector<double>.Build.Dense(8, i => Math.Sin(x[i, 0]) + x[i, 1]);
        var theta = Vector<double>.Build.DenseOfArray([0.1, -0.3, 0.2, -2.0]);
        var kernel = new MaternKernel(theta.SubVector(0, 2), theta[2]);
        var grads = kernel.GramGradients(x);
        for (var p = 0; p < 3; p++)
        {
            var plus = theta.Clone();
            var minus = theta.Clone();
            plus[p] += 1e-6;
            minus[p] -= 1e-6;
            var numeric = (new MaternKernel(plus.SubVector(0, 2), plus[2]).Gram(x) - new MaternKernel(minus.SubVector(0, 2), minus[2]).Gram(x)) / 2e-6;
            Assert.That((numeric - grads[p]).FrobeniusNorm(), Is.LessThan(1e-6), $"hyper-parameter {p}");
        }
    }
}
