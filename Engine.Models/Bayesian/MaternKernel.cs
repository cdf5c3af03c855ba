using MathNet.Numerics.LinearAlgebra;

namespace Engine.Models.Bayesian;

/// <summary>
/// Matérn-5/2 kernel with automatic relevance determination:
/// k(x, x') = σ_f² (1 + √5 r + 5r²/3) e^{−√5 r}, r² = Σ_d (x_d − x'_d)²/ℓ_d².
/// Hyper-parameters are kept in log space: [log ℓ_1 … log ℓ_D, log σ_f].
/// </summary>
public sealed class MaternKernel(Vector<double> logLengthScales, double logSignal)
{
    public Vector<double> LogLengthScales { get; } = logLengthScales;

    public double LogSignal { get; } = logSignal;

    public int Dimension => LogLengthScales.Count;

    public double Evaluate(Vector<double> a, Vector<double> b) => FromScaledDistance(ScaledDistance(a, b));

    public Matrix<double> Gram(Matrix<double> x) =>
        Matrix<double>.Build.Dense(x.RowCount, x.RowCount, (i, j) => Evaluate(x.Row(i), x.Row(j)));

    public Vector<double> Cross(Matrix<double> x, Vector<double> point) =>
        Vector<double>.Build.Dense(x.RowCount, i => Evaluate(x.Row(i), point));

    /// <summary>∂K/∂θ_p for every hyper-parameter (length scales then signal), for the marginal-likelihood gradient.</summary>
    public Matrix<double>[] GramGradients(Matrix<double> x)
    {
        var n = x.RowCount;
        var d = Dimension;
        var grads = Enumerable.Range(0, d + 1).Select(_ => Matrix<double>.Build.Dense(n, n)).ToArray();
        var signal2 = Math.Exp(2 * LogSignal);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var r = ScaledDistance(x.Row(i), x.Row(j));
                var k = FromScaledDistance(r);
                grads[d][i, j] = 2 * k;
                // dk/dr = −(5/3) σ² r (1 + √5 r) e^{−√5 r}; dr/dlogℓ_q = −(x_q − x'_q)²/(ℓ_q² r)
                var common = 5.0 / 3.0 * signal2 * (1 + Math.Sqrt(5) * r) * Math.Exp(-Math.Sqrt(5) * r);
                for (var q = 0; q < d; q++)
                {
                    var diff = (x[i, q] - x[j, q]) / Math.Exp(LogLengthScales[q]);
                    grads[q][i, j] = common * diff * diff; // (−dk/dr · r) · (diff²/r²) simplifies to this
                }
            }
        }

        return grads;
    }

    /// <summary>ℓ_d = exp(log ℓ_d), computed once for the array fast paths.</summary>
    internal double[] LengthScales() => LogLengthScales.Select(Math.Exp).ToArray();

    /// <summary>r between two rows held as arrays: the same arithmetic as the vector path, without allocations.</summary>
    internal static double ScaledDistance(double[] a, double[] b, double[] lengthScales)
    {
        var sum = 0.0;
        for (var q = 0; q < a.Length; q++)
        {
            var diff = (a[q] - b[q]) / lengthScales[q];
            sum += diff * diff;
        }

        return Math.Sqrt(sum);
    }

    private double ScaledDistance(Vector<double> a, Vector<double> b)
    {
        var sum = 0.0;
        for (var q = 0; q < a.Count; q++)
        {
            var diff = (a[q] - b[q]) / Math.Exp(LogLengthScales[q]);
            sum += diff * diff;
        }

        return Math.Sqrt(sum);
    }

    internal double FromScaledDistance(double r) =>
        Math.Exp(2 * LogSignal) * (1 + Math.Sqrt(5) * r + 5.0 / 3.0 * r * r) * Math.Exp(-Math.Sqrt(5) * r);
}
