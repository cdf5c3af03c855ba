using System.Globalization;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// A linear axis over [Min, Max] widened to "nice" tick values (1, 2, 2.5 or 5 × 10^k), so tick
/// labels read as round numbers.
/// </summary>
public sealed record Axis(double Min, double Max, double Step)
{
    /// <summary>The tick values Min, Min + Step, …, Max.</summary>
    public IReadOnlyList<double> Ticks
    {
        get
        {
            var count = (int)Math.Round((Max - Min) / Step);
            return Enumerable.Range(0, count + 1).Select(i => Clean(Min + i * Step)).ToArray();
        }
    }

    /// <summary>
    /// An axis covering every finite value in [<paramref name="low"/>, <paramref name="high"/>] with about
    /// <paramref name="ticks"/> ticks; <paramref name="integer"/> keeps the step ≥ 1 (counts).
    /// </summary>
    public static Axis Nice(double low, double high, int ticks = 6, bool integer = false)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
        {
            (low, high) = (0, 1);
        }

        if (high < low)
        {
            (low, high) = (high, low);
        }

        if (high - low < 1e-12 * Math.Max(1, Math.Abs(high)))
        {
            var pad = low == 0 ? 1 : Math.Abs(low) * 0.1;
            (low, high) = (low - pad, high + pad);
        }

        var step = NiceStep((high - low) / Math.Max(1, ticks - 1));
        if (integer)
        {
            step = Math.Max(1, step == 2.5 ? 2 : Math.Round(step));
        }

        return new Axis(Clean(Math.Floor(low / step + 1e-9) * step), Clean(Math.Ceiling(high / step - 1e-9) * step), step);
    }

    /// <summary>Maps a value on this axis to [from, to] (pixels).</summary>
    public double Map(double value, double from, double to) => from + (value - Min) / (Max - Min) * (to - from);

    /// <summary>A tick label with just enough decimals for the step ("0.25", "100", "1e+06").</summary>
    public string Label(double value)
    {
        if (Math.Abs(value) >= 1e6 || (Step < 1e-4 && value != 0))
        {
            return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
        }

        var decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(Step) - 1e-9), 0, 6);
        if (Math.Abs(Step * Math.Pow(10, decimals) - Math.Round(Step * Math.Pow(10, decimals))) > 1e-6)
        {
            decimals++; // 2.5 × 10^k needs one more
        }

        return value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>Rounds away floating-point dust (0.30000000000000004 → 0.3).</summary>
    private static double Clean(double value) => Math.Round(value, 12);
}
