using Engine.Core.Serialization;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>Lines through each series' points (learning curves, metric vs a setting), with dots when there are few points, and a legend.</summary>
public static class LineChart
{
    private const int MaxPointsWithDots = 60;

    public static string Render(IReadOnlyList<Series> series, ChartOptions options)
    {
        var points = series.SelectMany(s => s.FinitePoints()).ToArray();
        var frame = new ChartFrame(options,
            Axis.Nice(points.Length == 0 ? 0 : points.Min(p => p.X), points.Length == 0 ? 1 : points.Max(p => p.X)),
            Axis.Nice(points.Length == 0 ? 0 : points.Min(p => p.Y), points.Length == 0 ? 1 : points.Max(p => p.Y)));
        for (var i = 0; i < series.Count; i++)
        {
            var color = Palette.Color(i);
            frame.Svg.BeginGroup("series", series[i].Name);
            foreach (var segment in Segments(series[i]))
            {
                frame.Svg.Polyline(segment.Select(p => (frame.X(p.X), frame.Y(p.Y))), color, cssClass: "line");
            }

            var finite = series[i].FinitePoints().ToArray();
            if (finite.Length <= MaxPointsWithDots)
            {
                foreach (var (x, y) in finite)
                {
                    frame.Svg.Circle(frame.X(x), frame.Y(y), 2.5, color, "point");
                }
            }

            frame.Svg.EndGroup();
        }

        frame.Legend(series.Select((s, i) => (s.Name, Palette.Color(i))).ToArray());
        return frame.Render();
    }

    public static void Write(string path, IReadOnlyList<Series> series, ChartOptions options) => AtomicFile.WriteAllText(path, Render(series, options));

    /// <summary>Runs of consecutive finite points: a NaN or ∞ breaks the line.</summary>
    private static IEnumerable<List<(double X, double Y)>> Segments(Series series)
    {
        var current = new List<(double X, double Y)>();
        foreach (var p in series.Points())
        {
            if (double.IsFinite(p.X) && double.IsFinite(p.Y))
            {
                current.Add(p);
            }
            else if (current.Count > 0)
            {
                yield return current;
                current = [];
            }
        }

        if (current.Count > 0)
        {
            yield return current;
        }
    }
}
