using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Engine.Experiments.Evaluation;

/// <summary>
/// Multinomial logistic regression with an L2 penalty, as scikit-learn's (C = 1, lbfgs) — the
/// downstream probe of MetaVAE's Table 2 (spec metavae §8.1): minimise
/// ½‖W‖² + C·Σ_n CE(softmax(W·x_n + b), y_n) (bias not penalised) with MathNet's L-BFGS.
/// </summary>
public sealed class LogisticRegression
{
    private readonly Matrix<double> _weights; // [classes, features]
    private readonly Vector<double> _bias;

    private LogisticRegression(Matrix<double> weights, Vector<double> bias, int iterations)
    {
        _weights = weights;
        _bias = bias;
        Iterations = iterations;
    }

    public int Iterations { get; }

    public static LogisticRegression Fit(double[][] features, int[] labels, int classes, double c = 1.0, int maxIterations = 1000)
    {
        if (features.Length != labels.Length || features.Length == 0)
        {
            throw new ArgumentException($"LogisticRegression: {features.Length} rows for {labels.Length} labels.");
        }

        var x = Matrix<double>.Build.DenseOfRowArrays(features);
        var d = x.ColumnCount;
        var onehot = Matrix<double>.Build.Dense(labels.Length, classes, (n, k) => labels[n] == k ? 1 : 0);
        var objective = ObjectiveFunction.Gradient(theta =>
        {
            var (w, b) = Unpack(theta, classes, d);
            var logits = x * w.Transpose();
            logits = logits + Matrix<double>.Build.Dense(logits.RowCount, classes, (_, k) => b[k]);
            var probabilities = Softmax(logits, out var logSumExp);
            var crossEntropy = logSumExp.Sum() - logits.PointwiseMultiply(onehot).Enumerate().Sum();
            var residual = (probabilities - onehot) * c;                      // ∂(C·CE)/∂logits
            var gradW = residual.Transpose() * x + w;
            var gradB = residual.ColumnSums();
            var value = 0.5 * w.Enumerate().Sum(v => v * v) + c * crossEntropy;
            return (value, Pack(gradW, gradB));
        });
        var start = Vector<double>.Build.Dense(classes * (d + 1));
        MinimizationResult result;
        try
        {
            result = new LimitedMemoryBfgsMinimizer(1e-5, 1e-8, 1e-9, 10, maxIterations).FindMinimum(objective, start);
        }
        catch (MaximumIterationsException)
        {
            throw new InvalidOperationException($"LogisticRegression: L-BFGS did not converge in {maxIterations} iterations.");
        }

        var (weights, bias) = Unpack(result.MinimizingPoint, classes, d);
        return new LogisticRegression(weights, bias, result.Iterations);
    }

    public int[] Predict(double[][] features)
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(features);
        var logits = x * _weights.Transpose();
        return Enumerable.Range(0, x.RowCount).Select(n => (logits.Row(n) + _bias).MaximumIndex()).ToArray();
    }

    public double Accuracy(double[][] features, int[] labels) =>
        Predict(features).Zip(labels, (p, y) => p == y ? 1.0 : 0.0).Average();

    private static Matrix<double> Softmax(Matrix<double> logits, out Vector<double> logSumExp)
    {
        var lse = Vector<double>.Build.Dense(logits.RowCount);
        var result = Matrix<double>.Build.Dense(logits.RowCount, logits.ColumnCount);
        for (var n = 0; n < logits.RowCount; n++)
        {
            var row = logits.Row(n);
            var max = row.Maximum();
            var sum = row.Sum(v => Math.Exp(v - max));
            lse[n] = max + Math.Log(sum);
            for (var k = 0; k < row.Count; k++)
            {
                result[n, k] = Math.Exp(row[k] - lse[n]);
            }
        }

        logSumExp = lse;
        return result;
    }

    private static Vector<double> Pack(Matrix<double> w, Vector<double> b) =>
        Vector<double>.Build.DenseOfEnumerable(w.ToRowMajorArray().Concat(b));

    private static (Matrix<double> W, Vector<double> B) Unpack(Vector<double> theta, int classes, int d) =>
        (Matrix<double>.Build.Dense(classes, d, (k, j) => theta[k * d + j]), theta.SubVector(classes * d, classes));
}
