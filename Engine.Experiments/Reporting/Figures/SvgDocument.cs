using System.Globalization;
using System.Text;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// A minimal SVG writer: shapes and text appended in order, numbers in invariant culture with at
/// most two decimals, so the same figure always renders to the same bytes (figures diff cleanly).
/// </summary>
public sealed class SvgDocument
{
    private readonly StringBuilder _body = new();

    public SvgDocument(double width, double height)
    {
        Width = width;
        Height = height;
    }

    public double Width { get; }

    public double Height { get; }

    public void Rect(double x, double y, double width, double height, string fill, string? stroke = null, string? cssClass = null, string? title = null)
    {
        _body.Append($"<rect{Class(cssClass)} x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(Math.Max(0, width))}\" height=\"{F(Math.Max(0, height))}\" fill=\"{fill}\"");
        _body.Append(stroke is null ? "" : $" stroke=\"{stroke}\"");
        _body.Append(title is null ? "/>\n" : $"><title>{Escape(title)}</title></rect>\n");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1, string? cssClass = null, string? dash = null) =>
        _body.Append($"<line{Class(cssClass)} x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\" stroke=\"{stroke}\" stroke-width=\"{F(strokeWidth)}\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>\n");

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double strokeWidth = 1.5, string? cssClass = null, string? dash = null) =>
        _body.Append($"<polyline{Class(cssClass)} points=\"{string.Join(" ", points.Select(p => $"{F(p.X)},{F(p.Y)}"))}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{F(strokeWidth)}\" stroke-linejoin=\"round\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>\n");

    public void Circle(double cx, double cy, double r, string fill, string? cssClass = null) =>
        _body.Append($"<circle{Class(cssClass)} cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(r)}\" fill=\"{fill}\"/>\n");

    /// <param name="anchor">start, middle or end.</param>
    /// <param name="rotate">Degrees about (x, y); −90 for a vertical axis label.</param>
    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string? cssClass = null, double rotate = 0, string fill = "#222")
    {
        var transform = rotate == 0 ? "" : $" transform=\"rotate({F(rotate)} {F(x)} {F(y)})\"";
        _body.Append($"<text{Class(cssClass)} x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" font-size=\"{F(size)}\" fill=\"{fill}\"{transform}>{Escape(text)}</text>\n");
    }

    public void BeginGroup(string cssClass, string? name = null) =>
        _body.Append($"<g{Class(cssClass)}{(name is null ? "" : $" data-name=\"{Escape(name)}\"")}>\n");

    public void EndGroup() => _body.Append("</g>\n");

    public override string ToString() =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(Width)}\" height=\"{F(Height)}\" viewBox=\"0 0 {F(Width)} {F(Height)}\" font-family=\"sans-serif\">\n{_body}</svg>\n";

    /// <summary>A coordinate or length: invariant culture, at most two decimals, no "-0".</summary>
    public static string F(double value)
    {
        var rounded = Math.Round(value, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    private static string Class(string? cssClass) => cssClass is null ? "" : $" class=\"{cssClass}\"";
}
