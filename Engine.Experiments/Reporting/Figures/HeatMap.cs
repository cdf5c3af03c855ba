using Engine.Core.Serialization;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// A grid of coloured cells (rows × columns) with row and column labels and a colour bar: the
/// lowest value light yellow, the highest dark blue, linear in between (for a log scale, pass log
/// values and say so in the title). Each cell carries its value as a tooltip; NaN cells are grey.
/// </summary>
public static class HeatMap
{
    private const double Cell = 24;
    private const double Left = 56;
    private const double Top = 40;

    public static string Render(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, ChartOptions options)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rowLabels.Count != rows || columnLabels.Count != cols)
        {
            throw new ArgumentException($"HeatMap: {rows}×{cols} values but {rowLabels.Count} row and {columnLabels.Count} column labels.");
        }

        var finite = values.Cast<double>().Where(double.IsFinite).ToArray();
        double low = finite.Length == 0 ? 0 : finite.Min(), high = finite.Length == 0 ? 1 : finite.Max();
        var width = Left + cols * Cell + 90;
        var height = Top + rows * Cell + 50;
        var svg = new SvgDocument(width, height);
        svg.Text(width / 2, 20, options.Title, "middle", 13);
        for (var r = 0; r < rows; r++)
        {
            svg.Text(Left - 6, Top + (r + 0.65) * Cell, rowLabels[r], "end", 10);
            for (var c = 0; c < cols; c++)
            {
                var v = values[r, c];
                svg.Rect(Left + c * Cell, Top + r * Cell, Cell, Cell, double.IsFinite(v) ? Color(v, low, high) : "#cccccc", cssClass: "cell",
                    title: $"{rowLabels[r]}, {columnLabels[c]}: {v:G4}");
            }
        }

        for (var c = 0; c < cols; c++)
        {
            svg.Text(Left + (c + 0.5) * Cell, Top + rows * Cell + 14, columnLabels[c], "middle", 10);
        }

        svg.Text(Left + cols * Cell / 2, Top + rows * Cell + 34, options.XLabel, "middle", 12);
        svg.Text(14, Top + rows * Cell / 2, options.YLabel, "middle", 12, rotate: -90);
        var barX = Left + cols * Cell + 20;
        const int steps = 20;
        var barHeight = rows * Cell;
        for (var k = 0; k < steps; k++)
        {
            var v = high - (high - low) * k / (steps - 1.0);
            svg.Rect(barX, Top + k * barHeight / steps, 14, barHeight / steps + 0.5, Color(v, low, high), cssClass: "colorbar");
        }

        svg.Text(barX + 18, Top + 10, high.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), "start", 10);
        svg.Text(barX + 18, Top + barHeight, low.ToString("G3", System.Globalization.CultureInfo.InvariantCulture), "start", 10);
        return svg.ToString();
    }

    public static void Write(string path, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, ChartOptions options) =>
        AtomicFile.WriteAllText(path, Render(values, rowLabels, columnLabels, options));

    /// <summary>Light yellow (#ffffcc) at the low end to dark blue (#081d58) at the high end.</summary>
    public static string Color(double value, double low, double high)
    {
        var t = high > low ? Math.Clamp((value - low) / (high - low), 0, 1) : 0;
        int Mix(int a, int b) => (int)Math.Round(a + (b - a) * t);
        return $"#{Mix(0xff, 0x08):x2}{Mix(0xff, 0x1d):x2}{Mix(0xcc, 0x58):x2}";
    }
}
