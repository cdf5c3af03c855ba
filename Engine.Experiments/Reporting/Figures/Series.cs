namespace Engine.Experiments.Reporting.Figures;

/// <summary>A named set of (x, y) points for a line chart or a scatter plot; NaN/∞ points are skipped (a line breaks there).</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    public IEnumerable<(double X, double Y)> Points()
    {
        if (X.Count != Y.Count)
        {
            throw new ArgumentException($"Series '{Name}': {X.Count} x values but {Y.Count} y values.");
        }

        return X.Zip(Y);
    }

    public IEnumerable<(double X, double Y)> FinitePoints() => Points().Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y));
}
