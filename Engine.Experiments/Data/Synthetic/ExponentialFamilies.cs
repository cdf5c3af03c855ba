using MathNet.Numerics.Distributions;

namespace Engine.Experiments.Data.Synthetic;

/// <summary>The one-parameter families of the MetaVAE sufficient-statistics demo (spec metavae §9.3).</summary>
public enum ExponentialFamily
{
    /// <summary>N(θ, 0.1) — θ the mean, range U(−5, 5).</summary>
    Gaussian,
    /// <summary>log-normal with log-mean θ ~ U(−2, 2) and fixed σ = 0.1.</summary>
    LogNormal,
    /// <summary>Exponential with rate θ ~ U(0.5, 3).</summary>
    Exponential,
    /// <summary>Held out: Weibull with fixed scale 1 and shape θ ~ U(0.5, 3).</summary>
    Weibull,
    /// <summary>Held out: Laplace with location 0 and scale θ ~ U(0.5, 3).</summary>
    Laplace,
    /// <summary>Held out: symmetric Beta(θ, θ), θ ~ U(0.5, 3).</summary>
    Beta,
}

/// <summary>
/// Seeded samplers for the exponential-family demo: a dataset is one distribution with one free
/// parameter; an observation is a set of draws. Distributions come from MathNet.Numerics with a
/// System.Random seeded from the engine's generator.
/// </summary>
public static class ExponentialFamilies
{
    public const double GaussianVariance = 0.1;
    public const double LogNormalSigma = 0.1;

    /// <summary>The parameter range a family's datasets are drawn from.</summary>
    public static (double Low, double High) ParameterRange(ExponentialFamily family) => family switch
    {
        ExponentialFamily.Gaussian => (-5, 5),
        ExponentialFamily.LogNormal => (-2, 2),
        _ => (0.5, 3),
    };

    public static double SampleParameter(ExponentialFamily family, Engine.Core.Rng rng)
    {
        var (low, high) = ParameterRange(family);
        return low + (high - low) * rng.NextDouble();
    }

    /// <summary>n i.i.d. draws from the family at parameter θ.</summary>
    public static double[] Draw(ExponentialFamily family, double theta, int n, Engine.Core.Rng rng)
    {
        var random = new System.Random(unchecked((int)(rng.NextDouble() * int.MaxValue)));
        IContinuousDistribution distribution = family switch
        {
            ExponentialFamily.Gaussian => new Normal(theta, Math.Sqrt(GaussianVariance), random),
            ExponentialFamily.LogNormal => new LogNormal(theta, LogNormalSigma, random),
            ExponentialFamily.Exponential => new Exponential(theta, random),
            ExponentialFamily.Weibull => new Weibull(theta, 1.0, random),
            ExponentialFamily.Laplace => new Laplace(0, theta, random),
            _ => new Beta(theta, theta, random),
        };
        var values = new double[n];
        distribution.Samples(values);
        return values;
    }
}
