using System.Globalization;
using Engine.Core.Serialization;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// Counts of values in equal-width bins over [min, max] of the finite values (the last bin
/// includes max), drawn as bars (e.g. per-image test log-likelihoods, VampPrior Fig. 6).
/// </summary>
public static class Histogram
{
    /// <summary>Bin edges (bins + 1) and counts; NaN/∞ values are ignored.</summary>
    public static (double[] Edges, int[] Counts) Bin(IEnumerable<double> values, int bins)
    {
        if (bins <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "Histogram: need at least one bin.");
        }

        var finite = values.Where(double.IsFinite).ToArray();
        var (low, high) = finite.Length == 0 ? (0.0, 1.0) : (finite.Min(), finite.Max());
        if (high == low)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }

        var width = (high - low) / bins;
        var edges = Enumerable.Range(0, bins + 1).Select(i => i == bins ? high : low + i * width).ToArray();
        var counts = new int[bins];
        foreach (var v in finite)
        {
            counts[Math.Min(bins - 1, (int)((v - low) / width))]++;
        }

        return (edges, counts);
    }

    public static string Render(IEnumerable<double> values, int bins, ChartOptions options)
    {
        var (edges, counts) = Bin(values, bins);
        var frame = new ChartFrame(options with { YLabel = options.YLabel.Length > 0 ? options.YLabel : "count" },
            Axis.Nice(edges[0], edges[^1]), Axis.Nice(0, Math.Max(1, counts.Max()), integer: true));
        frame.Svg.BeginGroup("bars");
        for (var i = 0; i < counts.Length; i++)
        {
            var (left, right) = (frame.X(edges[i]), frame.X(edges[i + 1]));
            var top = frame.Y(counts[i]);
            frame.Svg.Rect(left, top, right - left, frame.Bottom - top, Palette.Color(0), "white", "bar",
                string.Create(CultureInfo.InvariantCulture, $"[{edges[i]:G6}, {edges[i + 1]:G6}{(i == counts.Length - 1 ? "]" : ")")}: {counts[i]}"));
        }

        frame.Svg.EndGroup();
        return frame.Render();
    }

    public static void Write(string path, IEnumerable<double> values, int bins, ChartOptions options) =>
        AtomicFile.WriteAllText(path, Render(values, bins, options));
}
