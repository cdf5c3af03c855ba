using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace Engine.Models.Bayesian;

/// <summary>
/// Expected improvement for minimisation: EI(x) = (f* − μ − ξ)Φ(u) + σφ(u), u = (f* − μ − ξ)/σ,
/// with f* the best value seen and ξ a small exploration margin.
/// </summary>
public static class ExpectedImprovement
{
    public static double Evaluate(GaussianProcess gp, Vector<double> point, double best, double xi = 0.01)
    {
        var (mean, std) = gp.Predict(point);
        var improvement = best - mean - xi;
        var u = improvement / std;
        return improvement * Normal.CDF(0, 1, u) + std * Normal.PDF(0, 1, u);
    }
}
