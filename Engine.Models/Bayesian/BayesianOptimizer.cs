using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Engine.Models.Bayesian;

/// <summary>One evaluated point of a Bayesian-optimisation run.</summary>
public sealed record Evaluation(double[] Point, double Value);

/// <summary>
/// Minimises a black-box function over a box by Bayesian optimisation: a few random points, then
/// repeatedly fit a <see cref="GaussianProcess"/> and evaluate the maximiser of
/// <see cref="ExpectedImprovement"/> (found by random search, refined by bounded BFGS with a
/// finite-difference gradient). Deterministic for a given seed.
/// </summary>
public sealed class BayesianOptimizer(double[] lower, double[] upper, int seed, int initialPoints = 5, int candidates = 2000)
{
    private readonly System.Random _random = new(seed);
    private readonly List<Evaluation> _history = [];
    private Vector<double>? _theta;

    public IReadOnlyList<Evaluation> History => _history;

    public Evaluation Best => _history.MinBy(e => e.Value) ?? throw new InvalidOperationException("No point evaluated yet.");

    /// <summary>Runs <paramref name="evaluations"/> evaluations of f (all counted, initial ones included).</summary>
    public Evaluation Minimize(Func<double[], double> f, int evaluations)
    {
        for (var i = 0; i < evaluations; i++)
        {
            var point = _history.Count < initialPoints ? RandomPoint() : NextPoint();
            var value = f(point);
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"BayesianOptimizer: objective returned {value} at [{string.Join(", ", point)}].");
            }

            _history.Add(new Evaluation(point, value));
        }

        return Best;
    }

    /// <summary>The EI maximiser under a GP fitted to the history so far.</summary>
    public double[] NextPoint()
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(_history.Select(e => e.Point));
        var y = Vector<double>.Build.DenseOfEnumerable(_history.Select(e => e.Value));
        // Warm-start from the last fit; a fresh random restart every 10 steps guards against a poor local optimum.
        var gp = GaussianProcess.Fit(x, y, _random, restarts: _theta is null || _history.Count % 10 == 0 ? 3 : 1, warmStart: _theta);
        _theta = gp.Theta;
        var best = y.Minimum();
        double Acquisition(double[] p) => ExpectedImprovement.Evaluate(gp, Vector<double>.Build.DenseOfArray(p), best);

        var starts = Enumerable.Range(0, candidates).Select(_ => RandomPoint())
            .Select(p => (Point: p, Value: Acquisition(p)))
            .OrderByDescending(c => c.Value)
            .Take(3)
            .ToList();
        var result = starts[0];
        foreach (var start in starts)
        {
            var refined = Refine(Acquisition, start.Point);
            var value = Acquisition(refined);
            if (value > result.Value)
            {
                result = (refined, value);
            }
        }

        return result.Point;
    }

    private double[] Refine(Func<double[], double> acquisition, double[] start)
    {
        var lo = Vector<double>.Build.DenseOfArray(lower);
        var hi = Vector<double>.Build.DenseOfArray(upper);
        var objective = ObjectiveFunction.Gradient(v =>
        {
            var p = v.ToArray();
            var value = -acquisition(p);
            var gradient = Vector<double>.Build.Dense(p.Length);
            for (var i = 0; i < p.Length; i++)
            {
                var h = 1e-6 * (upper[i] - lower[i]);
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[i] = Math.Min(upper[i], p[i] + h);
                minus[i] = Math.Max(lower[i], p[i] - h);
                gradient[i] = -(acquisition(plus) - acquisition(minus)) / (plus[i] - minus[i]);
            }

            return (value, gradient);
        });
        try
        {
            return new BfgsBMinimizer(1e-8, 1e-8, 1e-10, 50).FindMinimum(objective, lo, hi, Vector<double>.Build.DenseOfArray(start)).MinimizingPoint.ToArray();
        }
        catch (Exception e) when (e is MaximumIterationsException or EvaluationException or InnerOptimizationException or ArgumentException)
        {
            return start;
        }
    }

    private double[] RandomPoint() => lower.Select((l, i) => l + (upper[i] - l) * _random.NextDouble()).ToArray();
}
