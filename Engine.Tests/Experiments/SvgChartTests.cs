using System.Globalization;
using System.Xml.Linq;
using Engine.Experiments.Reporting.Figures;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // Default 640×400 chart: plot area x ∈ [68, 622], y ∈ [36, 350] (top to bottom).
    private const double Left = 68, Right = 622, Top = 36, Bottom = 350;

    private static XElement Parse(string svg)
    {
        var root = XDocument.Parse(svg).Root!;
        Assert.That(root.Name, Is.EqualTo(Svg + "svg"));
        return root;
    }

    private static IEnumerable<XElement> WithClass(XElement root, string name, string cssClass) =>
        root.Descendants(Svg + name).Where(e => (string?)e.Attribute("class") == cssClass);

    private static double Attr(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    private static (double X, double Y)[] Points(XElement polyline) =>
        ((string)polyline.Attribute("points")!).Split(' ')
            .Select(p => p.Split(','))
            .Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToArray();

    [Test]
    public void LineChart_MapsPointsOntoTheAxes_WithTicksLabelsAndLegend()
    {
        double[] x = [0, 2, 4, 6, 8, 10];
        var svg = LineChart.Render(
            [new Series("train", x, [0, 20, 40, 60, 80, 100]), new Series("validation", x, [100, 80, 60, 40, 20, 0])],
            new ChartOptions("Learning curve", "epoch", "loss"));

        var root = Parse(svg);
        var series = WithClass(root, "g", "series").ToArray();
        Assert.That(series.Select(g => (string?)g.Attribute("data-name")), Is.EqualTo(new[] { "train", "validation" }));
        var train = Points(WithClass(series[0], "polyline", "line").Single());
        Assert.That(train, Has.Length.EqualTo(6));
        // Axes 0…10 and 0…100: (0, 0) is the bottom-left corner, (10, 100) the top-right, (6, 60) at 60 %.
        Assert.That(train[0], Is.EqualTo((Left, Bottom)));
        Assert.That(train[^1], Is.EqualTo((Right, Top)));
        Assert.That(train[3].X, Is.EqualTo(Left + 0.6 * (Right - Left)).Within(0.01));
        Assert.That(train[3].Y, Is.EqualTo(Bottom - 0.6 * (Bottom - Top)).Within(0.01));
        Assert.That(WithClass(series[0], "circle", "point").Count(), Is.EqualTo(6), "few points get dots");

        var tickLabels = WithClass(root, "text", "tick-label").Select(t => t.Value).ToArray();
        Assert.That(tickLabels, Is.SupersetOf(new[] { "0", "2", "4", "6", "8", "10", "20", "40", "60", "80", "100" }));
        Assert.That(WithClass(root, "text", "axis-label").Select(t => t.Value), Is.EqualTo(new[] { "epoch", "loss" }));
        Assert.That(WithClass(root, "text", "title").Single().Value, Is.EqualTo("Learning curve"));
        Assert.That(root.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == "legend").Descendants(Svg + "text").Select(t => t.Value),
            Is.EqualTo(new[] { "train", "validation" }));
    }

    [Test]
    public void LineChart_NaNBreaksTheLine_AndTheOutputIsDeterministic()
    {
        var series = new Series("loss", [1, 2, 3, 4, 5], [5, 4, double.NaN, 2, 1]);

        var svg = LineChart.Render([series], new ChartOptions());

        var lines = WithClass(Parse(svg), "polyline", "line").ToArray();
        Assert.That(lines.Select(l => Points(l).Length), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(LineChart.Render([series], new ChartOptions()), Is.EqualTo(svg));
        Assert.That(svg, Does.Not.Contain("NaN"));
    }

    [Test]
    public void LineChart_EscapesTextSoTheSvgStaysValidXml()
    {
        var svg = LineChart.Render([new Series("p(x|z) < 1 & \"q\"", [0, 1], [0, 1])], new ChartOptions("a <b> & c"));

        var root = Parse(svg);
        Assert.That(WithClass(root, "text", "title").Single().Value, Is.EqualTo("a <b> & c"));
        Assert.That(WithClass(root, "g", "series").Single().Attribute("data-name")!.Value, Is.EqualTo("p(x|z) < 1 & \"q\""));
    }

    [Test]
    public void Histogram_CountsEveryFiniteValue_LastBinIncludesTheMaximum()
    {
        double[] values = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, double.NaN, double.PositiveInfinity];

        var (edges, counts) = Histogram.Bin(values, 4);

        Assert.That(edges, Is.EqualTo(new[] { 0.0, 1, 2, 3, 4 }));
        Assert.That(counts, Is.EqualTo(new[] { 2, 2, 2, 3 }));
        var bars = WithClass(Parse(Histogram.Render(values, 4, new ChartOptions("h", "x"))), "rect", "bar").ToArray();
        Assert.That(bars, Has.Length.EqualTo(4));
        Assert.That(bars.Select(b => b.Element(Svg + "title")!.Value), Is.EqualTo(new[] { "[0, 1): 2", "[1, 2): 2", "[2, 3): 2", "[3, 4]: 3" }));
        // y axis 0…3 (integer ticks): a bar of 3 reaches the top, bars of 2 two thirds of the way.
        Assert.That(Attr(bars[3], "y"), Is.EqualTo(Top).Within(0.01));
        Assert.That(Attr(bars[0], "height"), Is.EqualTo(2.0 / 3 * (Bottom - Top)).Within(0.01));
        Assert.That(Attr(bars[0], "x"), Is.EqualTo(Left).Within(0.01));
    }

    [Test]
    public void Histogram_AllEqualValues_FallInOneBin()
    {
        var (edges, counts) = Histogram.Bin([7, 7, 7], 3);

        Assert.That(counts.Sum(), Is.EqualTo(3));
        Assert.That(edges[0], Is.LessThan(7));
        Assert.That(edges[^1], Is.GreaterThan(7));
    }

    [Test]
    public void ScatterPlot_DrawsOneDotPerFinitePoint_ColouredBySeries()
    {
        var svg = ScatterPlot.Render(
            [new Series("class 0", [0, 1, double.NaN], [0, 1, 2]), new Series("class 1", [2, 3], [2, 3])],
            new ChartOptions("latents", "z1", "z2"));

        var root = Parse(svg);
        var dots = WithClass(root, "circle", "point").ToArray();
        Assert.That(dots, Has.Length.EqualTo(4));
        Assert.That(dots.Select(d => (string?)d.Attribute("fill")).Distinct().Count(), Is.EqualTo(2));
        Assert.That((Attr(dots[0], "cx"), Attr(dots[0], "cy")), Is.EqualTo((Left, Bottom)));
    }

    [Test]
    public void RocCurve_PerfectInvertedAndTiedScores_GiveAuc1_0AndHalf()
    {
        bool[] labels = [true, true, false, false];

        Assert.That(RocCurve.Compute([0.9, 0.8, 0.2, 0.1], labels).Auc, Is.EqualTo(1.0));
        Assert.That(RocCurve.Compute([0.1, 0.2, 0.8, 0.9], labels).Auc, Is.EqualTo(0.0));
        var tied = RocCurve.Compute([0.5, 0.5, 0.5, 0.5], labels);
        Assert.That(tied.Auc, Is.EqualTo(0.5));
        Assert.That(tied.FalsePositiveRate.Zip(tied.TruePositiveRate), Is.EqualTo(new[] { (0.0, 0.0), (1.0, 1.0) }), "one threshold: straight along the diagonal");
    }

    [Test]
    public void RocCurve_HandWorkedExample_AucIsTheFractionOfCorrectlyOrderedPairs()
    {
        // Positives 0.9, 0.8, 0.6; negatives 0.7, 0.55, 0.54: 8 of the 9 pairs are ordered right.
        var roc = RocCurve.Compute([0.9, 0.8, 0.7, 0.6, 0.55, 0.54], [true, true, false, true, false, false]);

        Assert.That(roc.Auc, Is.EqualTo(8.0 / 9).Within(1e-12));
        Assert.That(roc.TruePositiveRate, Is.EqualTo(new[] { 0, 1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1, 1 }));
        Assert.That(roc.FalsePositiveRate, Is.EqualTo(new[] { 0, 0, 0, 1.0 / 3, 1.0 / 3, 2.0 / 3, 1 }));
        var root = Parse(RocCurve.Render([("model", [0.9, 0.8, 0.7, 0.6, 0.55, 0.54], [true, true, false, true, false, false])], new ChartOptions("ROC")));
        Assert.That(WithClass(root, "g", "series").Single().Attribute("data-name")!.Value, Is.EqualTo("model (AUC 0.889)"));
        Assert.That(WithClass(root, "line", "chance").Count(), Is.EqualTo(1));
        var curve = Points(WithClass(root, "polyline", "line").Single());
        Assert.That((curve[0], curve[^1]), Is.EqualTo(((Left, Bottom), (Right, Top))));
    }

    [Test]
    public void RocCurve_OneClassOnly_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => RocCurve.Compute([0.1, 0.2], [true, true]));
    }

    [TestCase(0.3, 9.7, 0, 10, 2)]
    [TestCase(0, 1, 0, 1, 0.2)]
    [TestCase(206.5, 518.7, 200, 600, 100)]
    [TestCase(5, 5, 4.4, 5.6, 0.2)]
    public void Axis_Nice_CoversTheRangeWithRoundTicks(double low, double high, double min, double max, double step)
    {
        var axis = Axis.Nice(low, high);

        Assert.That((axis.Min, axis.Max, axis.Step), Is.EqualTo((min, max, step)));
        Assert.That(axis.Ticks[0], Is.EqualTo(min));
        Assert.That(axis.Ticks[^1], Is.EqualTo(max));
    }

    [Test]
    public void Axis_Labels_UseJustEnoughDecimals()
    {
        Assert.That(Axis.Nice(0, 1).Label(0.4), Is.EqualTo("0.4"));
        Assert.That(new Axis(0, 1, 0.25).Label(0.75), Is.EqualTo("0.75"));
        Assert.That(Axis.Nice(0, 1000).Label(400), Is.EqualTo("400"));
        Assert.That(Axis.Nice(0, 3e6).Label(2e6), Is.EqualTo("2e+6"));
    }
}
