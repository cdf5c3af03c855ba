namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// The shared part of every chart: a plot area inside margins, x and y axes with ticks, tick
/// labels and light grid lines, axis labels, a title and a legend. Charts map data with
/// <see cref="X"/> and <see cref="Y"/> and draw into <see cref="Svg"/>.
/// </summary>
public sealed class ChartFrame
{
    private const double MarginLeft = 68, MarginRight = 18, MarginTop = 36, MarginBottom = 50;

    public ChartFrame(ChartOptions options, Axis x, Axis y)
    {
        Options = options;
        XAxis = x;
        YAxis = y;
        Svg = new SvgDocument(options.Width, options.Height);
        Left = MarginLeft;
        Right = options.Width - MarginRight;
        Top = MarginTop;
        Bottom = options.Height - MarginBottom;
        DrawFrame();
    }

    public ChartOptions Options { get; }

    public Axis XAxis { get; }

    public Axis YAxis { get; }

    public SvgDocument Svg { get; }

    public double Left { get; }

    public double Right { get; }

    public double Top { get; }

    public double Bottom { get; }

    public double X(double value) => XAxis.Map(value, Left, Right);

    public double Y(double value) => YAxis.Map(value, Bottom, Top);

    /// <summary>A legend box in the plot's top-right (or bottom-right) corner: a line (or dot) in each entry's colour and its name.</summary>
    public void Legend(IReadOnlyList<(string Name, string Color)> entries, bool dots = false, bool bottom = false)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var width = 34 + 6.5 * entries.Max(e => e.Name.Length);
        var height = 8 + 18 * entries.Count;
        var (left, top) = (Right - width - 8, bottom ? Bottom - height - 8 : Top + 8);
        Svg.BeginGroup("legend");
        Svg.Rect(left, top, width, height, "white", "#bbb");
        for (var i = 0; i < entries.Count; i++)
        {
            var y = top + 16 + 18 * i;
            if (dots)
            {
                Svg.Circle(left + 15, y - 4, 4, entries[i].Color);
            }
            else
            {
                Svg.Line(left + 6, y - 4, left + 24, y - 4, entries[i].Color, 2.5);
            }

            Svg.Text(left + 30, y, entries[i].Name, size: 11);
        }

        Svg.EndGroup();
    }

    public string Render() => Svg.ToString();

    private void DrawFrame()
    {
        Svg.Rect(0, 0, Options.Width, Options.Height, "white");
        Svg.BeginGroup("grid");
        foreach (var t in YAxis.Ticks)
        {
            Svg.Line(Left, Y(t), Right, Y(t), "#e6e6e6");
        }

        foreach (var t in XAxis.Ticks)
        {
            Svg.Line(X(t), Top, X(t), Bottom, "#e6e6e6");
        }

        Svg.EndGroup();
        Svg.BeginGroup("x-axis");
        Svg.Line(Left, Bottom, Right, Bottom, "#333");
        foreach (var t in XAxis.Ticks)
        {
            Svg.Line(X(t), Bottom, X(t), Bottom + 5, "#333", cssClass: "tick");
            Svg.Text(X(t), Bottom + 18, XAxis.Label(t), "middle", 11, "tick-label");
        }

        Svg.Text((Left + Right) / 2, Options.Height - 10, Options.XLabel, "middle", 12, "axis-label");
        Svg.EndGroup();
        Svg.BeginGroup("y-axis");
        Svg.Line(Left, Top, Left, Bottom, "#333");
        foreach (var t in YAxis.Ticks)
        {
            Svg.Line(Left - 5, Y(t), Left, Y(t), "#333", cssClass: "tick");
            Svg.Text(Left - 8, Y(t) + 4, YAxis.Label(t), "end", 11, "tick-label");
        }

        Svg.Text(16, (Top + Bottom) / 2, Options.YLabel, "middle", 12, "axis-label", rotate: -90);
        Svg.EndGroup();
        Svg.Text(Options.Width / 2.0, 22, Options.Title, "middle", 14, "title");
    }
}
