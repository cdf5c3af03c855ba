using Engine.Core.Serialization;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>One dot per point, a colour per series (latent codes by class, our metric vs the paper's), and a legend.</summary>
public static class ScatterPlot
{
    public static string Render(IReadOnlyList<Series> series, ChartOptions options, double radius = 3)
    {
        var points = series.SelectMany(s => s.FinitePoints()).ToArray();
        var frame = new ChartFrame(options,
            Axis.Nice(points.Length == 0 ? 0 : points.Min(p => p.X), points.Length == 0 ? 1 : points.Max(p => p.X)),
            Axis.Nice(points.Length == 0 ? 0 : points.Min(p => p.Y), points.Length == 0 ? 1 : points.Max(p => p.Y)));
        for (var i = 0; i < series.Count; i++)
        {
            frame.Svg.BeginGroup("series", series[i].Name);
            foreach (var (x, y) in series[i].FinitePoints())
            {
                frame.Svg.Circle(frame.X(x), frame.Y(y), radius, Palette.Color(i), "point");
            }

            frame.Svg.EndGroup();
        }

        frame.Legend(series.Select((s, i) => (s.Name, Palette.Color(i))).ToArray(), dots: true);
        return frame.Render();
    }

    public static void Write(string path, IReadOnlyList<Series> series, ChartOptions options, double radius = 3) =>
        AtomicFile.WriteAllText(path, Render(series, options, radius));
}
