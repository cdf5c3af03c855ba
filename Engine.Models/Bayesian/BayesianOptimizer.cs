using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Engine.Models.Bayesian;

/// <summary>One evaluated point of a Bayesian-optimisation run.</summary>
public sealed record Evaluation(double[] Point, double Value);

/// <summary>
/// Minimises a black-box function over a box by Bayesian optimisation: a few random points, then
/// repeatedly fit a <see cref="GaussianProcess"/> and evaluate the maximiser of
/// <see cref="ExpectedImprovement"/> (found by random search, refined by bounded BFGS with a
/// finite-difference gradient). Deterministic for a given seed. Internally the search runs in
/// "model space": the box itself, or [0, 1]^d when <see cref="BayesianOptimizerOptions.UnitCube"/>.
/// </summary>
public sealed class BayesianOptimizer
{
    private readonly double[] _lower;
    private readonly double[] _upper;
    private readonly BayesianOptimizerOptions _options;
    private readonly System.Random _random;
    private readonly List<Evaluation> _history = [];
    private readonly List<double[]> _modelPoints = [];
    private Vector<double>? _theta;
    private int _sinceFit;

    public BayesianOptimizer(double[] lower, double[] upper, int seed, BayesianOptimizerOptions? options = null)
    {
        if (lower.Length == 0 || lower.Length != upper.Length || lower.Zip(upper).Any(b => !(b.First < b.Second)))
        {
            throw new ArgumentException($"BayesianOptimizer: the box needs lower < upper in every dimension; got [{string.Join(", ", lower)}] and [{string.Join(", ", upper)}].");
        }

        _options = options ?? new BayesianOptimizerOptions();
        _options.Validate();
        (_lower, _upper, _random) = (lower, upper, new System.Random(seed));
    }

    public IReadOnlyList<Evaluation> History => _history;

    public Evaluation Best => _history.MinBy(e => e.Value) ?? throw new InvalidOperationException("No point evaluated yet.");

    /// <summary>Runs <paramref name="evaluations"/> evaluations of f (all counted, initial ones included).</summary>
    public Evaluation Minimize(Func<double[], double> f, int evaluations)
    {
        for (var i = 0; i < evaluations; i++)
        {
            var modelPoint = _history.Count < _options.InitialPoints ? RandomPoint() : NextModelPoint();
            var point = FromModel(modelPoint);
            var value = f(point);
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($"BayesianOptimizer: objective returned {value} at [{string.Join(", ", point)}].");
            }

            _history.Add(new Evaluation(point, value));
            _modelPoints.Add(modelPoint);
        }

        return Best;
    }

    /// <summary>The EI maximiser under a GP fitted to the history so far (in the box's coordinates).</summary>
    public double[] NextPoint() => FromModel(NextModelPoint());

    private double[] NextModelPoint()
    {
        var x = Matrix<double>.Build.DenseOfRowArrays(_modelPoints);
        var y = Vector<double>.Build.DenseOfEnumerable(_history.Select(e => e.Value));
        GaussianProcess gp;
        if (_theta is null || ++_sinceFit >= _options.RefitEvery)
        {
            // Warm-start from the last fit; fresh random restarts every tenth fit guard against a poor local optimum.
            var fresh = _theta is null || _history.Count % (10 * _options.RefitEvery) < _options.RefitEvery;
            gp = GaussianProcess.Fit(x, y, _random, restarts: fresh ? 3 : 1, warmStart: _theta);
            (_theta, _sinceFit) = (gp.Theta, 0);
        }
        else
        {
            gp = GaussianProcess.Create(x, y, _theta);
        }

        var best = y.Minimum();
        double Acquisition(double[] p) => ExpectedImprovement.Evaluate(gp, Vector<double>.Build.DenseOfArray(p), best, _options.ExplorationMargin);

        var starts = Enumerable.Range(0, _options.Candidates).Select(_ => RandomPoint())
            .Select(p => (Point: p, Value: Acquisition(p)))
            .OrderByDescending(c => c.Value)
            .Take(_options.LocalStarts)
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
        var (lower, upper) = ModelBox();
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

    private (double[] Lower, double[] Upper) ModelBox() =>
        _options.UnitCube ? (new double[_lower.Length], Enumerable.Repeat(1.0, _lower.Length).ToArray()) : (_lower, _upper);

    private double[] RandomPoint()
    {
        var (lower, upper) = ModelBox();
        return lower.Select((l, i) => l + (upper[i] - l) * _random.NextDouble()).ToArray();
    }

    /// <summary>A model-space point in the box's coordinates (clamped: BFGS-B may step a hair outside).</summary>
    private double[] FromModel(double[] p) => _options.UnitCube
        ? p.Select((v, i) => Math.Clamp(_lower[i] + (_upper[i] - _lower[i]) * v, _lower[i], _upper[i])).ToArray()
        : p;
}
