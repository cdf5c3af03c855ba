using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using MathNet.Numerics.Optimization;

namespace Engine.Models.Bayesian;

/// <summary>
/// GP regression with a Matérn-5/2 ARD kernel, a constant mean (the data mean) and Gaussian noise,
/// its hyper-parameters set by maximising the log marginal likelihood (bounded BFGS from MathNet,
/// analytic gradient −½ tr((ααᵀ − K⁻¹) ∂K/∂θ), several starts). Double precision throughout.
/// </summary>
public sealed class GaussianProcess
{
    private readonly Matrix<double> _x;
    private readonly Vector<double> _alpha;
    private readonly Cholesky<double> _cholesky;
    private readonly double _mean;

    private GaussianProcess(Matrix<double> x, Vector<double> y, MaternKernel kernel, double logNoise)
    {
        _x = x;
        Kernel = kernel;
        LogNoise = logNoise;
        _mean = y.Average();
        var k = kernel.Gram(x) + Matrix<double>.Build.DenseIdentity(x.RowCount) * (Math.Exp(2 * logNoise) + 1e-10);
        _cholesky = k.Cholesky();
        _alpha = _cholesky.Solve(y - _mean);
        LogMarginalLikelihood = -0.5 * (y - _mean).DotProduct(_alpha) - 0.5 * _cholesky.DeterminantLn - 0.5 * x.RowCount * Math.Log(2 * Math.PI);
    }

    public MaternKernel Kernel { get; }

    /// <summary>The fitted hyper-parameters θ = [log ℓ (D), log σ_f, log σ_n] (to warm-start the next fit).</summary>
    public Vector<double> Theta => Vector<double>.Build.DenseOfEnumerable([.. Kernel.LogLengthScales, Kernel.LogSignal, LogNoise]);

    public double LogNoise { get; }

    public double LogMarginalLikelihood { get; }

    /// <summary>Fits the hyper-parameters to (x [N, D], y [N]) and returns the conditioned GP.</summary>
    public static GaussianProcess Fit(Matrix<double> x, Vector<double> y, System.Random random, int restarts = 3, Vector<double>? warmStart = null)
    {
        var d = x.ColumnCount;
        var scale = Math.Max(1e-6, Statistics(y).Std);
        // θ = [log ℓ (D), log σ_f, log σ_n]; bounds keep the Cholesky well conditioned.
        var lower = Vector<double>.Build.Dense(d + 2, i => i < d ? Math.Log(1e-2) : i == d ? Math.Log(scale) - 3 : Math.Log(scale) - 9);
        var upper = Vector<double>.Build.Dense(d + 2, i => i < d ? Math.Log(1e2) : i == d ? Math.Log(scale) + 3 : Math.Log(scale));
        GaussianProcess? best = null;
        for (var start = 0; start < restarts; start++)
        {
            var initial = start == 0 && warmStart is not null
                ? warmStart.PointwiseMaximum(lower).PointwiseMinimum(upper)
                : Vector<double>.Build.Dense(d + 2, i => start == 0
                    ? (i < d ? 0 : i == d ? Math.Log(scale) : Math.Log(scale) - 4)
                    : lower[i] + (upper[i] - lower[i]) * random.NextDouble());
            var objective = ObjectiveFunction.Gradient(theta => NegativeLogLikelihood(x, y, theta));
            Vector<double> theta;
            try
            {
                theta = new BfgsBMinimizer(1e-4, 1e-5, 1e-6, 100).FindMinimum(objective, lower, upper, initial).MinimizingPoint;
            }
            catch (Exception e) when (e is MaximumIterationsException or EvaluationException or InnerOptimizationException or ArgumentException)
            {
                theta = initial; // keep the starting point rather than fail the whole search
            }

            var gp = Create(x, y, theta);
            if (best is null || gp.LogMarginalLikelihood > best.LogMarginalLikelihood)
            {
                best = gp;
            }
        }

        return best!;
    }

    /// <summary>A GP with the given hyper-parameters θ = [log ℓ (D), log σ_f, log σ_n].</summary>
    public static GaussianProcess Create(Matrix<double> x, Vector<double> y, Vector<double> theta)
    {
        var d = x.ColumnCount;
        return new GaussianProcess(x, y, new MaternKernel(theta.SubVector(0, d), theta[d]), theta[d + 1]);
    }

    /// <summary>Posterior mean and standard deviation of f at a point.</summary>
    public (double Mean, double Std) Predict(Vector<double> point)
    {
        var kStar = Kernel.Cross(_x, point);
        var mean = _mean + kStar.DotProduct(_alpha);
        var v = _cholesky.Solve(kStar);
        var variance = Kernel.Evaluate(point, point) - kStar.DotProduct(v);
        return (mean, Math.Sqrt(Math.Max(variance, 1e-12)));
    }

    private static (double Value, Vector<double> Gradient) NegativeLogLikelihood(Matrix<double> x, Vector<double> y, Vector<double> theta)
    {
        var gp = Create(x, y, theta);
        var n = x.RowCount;
        var inverse = gp._cholesky.Solve(Matrix<double>.Build.DenseIdentity(n));
        var outer = gp._alpha.OuterProduct(gp._alpha) - inverse;
        var grads = gp.Kernel.GramGradients(x);
        var gradient = Vector<double>.Build.Dense(theta.Count);
        for (var p = 0; p < grads.Length; p++)
        {
            gradient[p] = -0.5 * outer.PointwiseMultiply(grads[p]).Enumerate().Sum();
        }

        var noiseGrad = Matrix<double>.Build.DenseIdentity(n) * (2 * Math.Exp(2 * theta[theta.Count - 1]));
        gradient[theta.Count - 1] = -0.5 * outer.PointwiseMultiply(noiseGrad).Enumerate().Sum();
        return (-gp.LogMarginalLikelihood, gradient);
    }

    private static (double Mean, double Std) Statistics(Vector<double> y)
    {
        var mean = y.Average();
        return (mean, Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average()));
    }
}
