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
    private readonly double[][] _rows;
    private readonly double[] _lengthScales;
    private readonly double[] _alpha;
    private readonly double[][] _lowerRows;
    private readonly Cholesky<double> _cholesky;
    private readonly double _mean;

    private GaussianProcess(Matrix<double> x, Vector<double> y, MaternKernel kernel, double logNoise)
    {
        Kernel = kernel;
        LogNoise = logNoise;
        _mean = y.Average();
        // Rows and length scales as arrays: BO calls Predict thousands of times per step, and
        // vector-per-row access allocated on every kernel evaluation.
        _rows = x.ToRowArrays();
        _lengthScales = kernel.LengthScales();
        var n = x.RowCount;
        var noise = Math.Exp(2 * logNoise) + 1e-10;
        var k = Matrix<double>.Build.Dense(n, n, (i, j) => Covariance(i, j) + (i == j ? noise : 0));
        _cholesky = k.Cholesky();
        var alpha = _cholesky.Solve(y - _mean);
        _alpha = alpha.ToArray();
        _lowerRows = _cholesky.Factor.ToRowArrays();
        LogMarginalLikelihood = -0.5 * (y - _mean).DotProduct(alpha) - 0.5 * _cholesky.DeterminantLn - 0.5 * n * Math.Log(2 * Math.PI);
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
        var p = point.AsArray() ?? point.ToArray();
        var n = _rows.Length;
        var mean = _mean;
        // σ² = k(p, p) − ‖L⁻¹k*‖² by forward substitution (one triangular solve instead of two).
        var v = new double[n];
        var explained = 0.0;
        for (var i = 0; i < n; i++)
        {
            var kStar = Kernel.FromScaledDistance(MaternKernel.ScaledDistance(_rows[i], p, _lengthScales));
            mean += kStar * _alpha[i];
            var row = _lowerRows[i];
            var sum = kStar;
            for (var j = 0; j < i; j++)
            {
                sum -= row[j] * v[j];
            }

            v[i] = sum / row[i];
            explained += v[i] * v[i];
        }

        var variance = Kernel.FromScaledDistance(0) - explained;
        return (mean, Math.Sqrt(Math.Max(variance, 1e-12)));
    }

    /// <summary>
    /// −log p(y | θ) and its gradient −½ tr((ααᵀ − K⁻¹) ∂K/∂θ), with ∂K/∂θ formed element by element
    /// (the same formulas as <see cref="MaternKernel.GramGradients"/>) instead of as D + 2 matrices.
    /// </summary>
    internal static (double Value, Vector<double> Gradient) NegativeLogLikelihood(Matrix<double> x, Vector<double> y, Vector<double> theta)
    {
        var gp = Create(x, y, theta);
        var n = x.RowCount;
        var d = x.ColumnCount;
        var inverse = gp._cholesky.Solve(Matrix<double>.Build.DenseIdentity(n));
        var inv = inverse.AsColumnMajorArray() ?? inverse.ToColumnMajorArray();
        var signal2 = Math.Exp(2 * gp.Kernel.LogSignal);
        var noise2 = Math.Exp(2 * theta[d + 1]);
        var gradient = new double[theta.Count];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var w = gp._alpha[i] * gp._alpha[j] - inv[j * n + i];
                var r = MaternKernel.ScaledDistance(gp._rows[i], gp._rows[j], gp._lengthScales);
                gradient[d] += w * 2 * gp.Kernel.FromScaledDistance(r);
                // dk/dlog ℓ_q = (5/3) σ² (1 + √5 r) e^{−√5 r} (x_q − x'_q)²/ℓ_q²
                var common = 5.0 / 3.0 * signal2 * (1 + Math.Sqrt(5) * r) * Math.Exp(-Math.Sqrt(5) * r);
                for (var q = 0; q < d; q++)
                {
                    var diff = (gp._rows[i][q] - gp._rows[j][q]) / gp._lengthScales[q];
                    gradient[q] += w * common * diff * diff;
                }

                if (i == j)
                {
                    gradient[d + 1] += w * 2 * noise2;
                }
            }
        }

        return (-gp.LogMarginalLikelihood, Vector<double>.Build.DenseOfEnumerable(gradient.Select(g => -0.5 * g)));
    }

    private double Covariance(int i, int j) => Kernel.FromScaledDistance(MaternKernel.ScaledDistance(_rows[i], _rows[j], _lengthScales));

    private static (double Mean, double Std) Statistics(Vector<double> y)
    {
        var mean = y.Average();
        return (mean, Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average()));
    }
}
