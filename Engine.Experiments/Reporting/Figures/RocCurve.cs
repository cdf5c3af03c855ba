using System.Globalization;
using Engine.Core.Serialization;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// Receiver operating characteristic of a score (higher = more likely positive): true-positive
/// rate against false-positive rate as the threshold falls through the distinct scores, and the
/// area under the curve by the trapezoid rule, which equals P(score⁺ &gt; score⁻) + ½ P(tie).
/// </summary>
public static class RocCurve
{
    public static RocResult Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        if (scores.Count != labels.Count)
        {
            throw new ArgumentException($"RocCurve: {scores.Count} scores but {labels.Count} labels.");
        }

        var positives = labels.Count(l => l);
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"RocCurve: needs both classes, got {positives} positives and {negatives} negatives.");
        }

        if (scores.Any(double.IsNaN))
        {
            throw new ArgumentException("RocCurve: a score is NaN.");
        }

        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        int tp = 0, fp = 0;
        var auc = 0.0;
        for (var k = 0; k < order.Length;)
        {
            // Every sample tied at this score crosses the threshold together: one diagonal step.
            var score = scores[order[k]];
            for (; k < order.Length && scores[order[k]] == score; k++)
            {
                if (labels[order[k]])
                {
                    tp++;
                }
                else
                {
                    fp++;
                }
            }

            var (x, y) = ((double)fp / negatives, (double)tp / positives);
            auc += (x - fpr[^1]) * (y + tpr[^1]) / 2;
            fpr.Add(x);
            tpr.Add(y);
        }

        return new RocResult(fpr.ToArray(), tpr.ToArray(), auc);
    }

    /// <summary>One curve per named (scores, labels) set, the chance diagonal, and AUCs in the legend.</summary>
    public static string Render(IReadOnlyList<(string Name, IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels)> curves, ChartOptions options)
    {
        var frame = new ChartFrame(options with
        {
            XLabel = options.XLabel.Length > 0 ? options.XLabel : "false positive rate",
            YLabel = options.YLabel.Length > 0 ? options.YLabel : "true positive rate",
        }, Axis.Nice(0, 1), Axis.Nice(0, 1));
        frame.Svg.Line(frame.X(0), frame.Y(0), frame.X(1), frame.Y(1), "#999", 1, "chance", "4 4");
        var legend = new List<(string, string)>();
        for (var i = 0; i < curves.Count; i++)
        {
            var roc = Compute(curves[i].Scores, curves[i].Labels);
            var name = string.Create(CultureInfo.InvariantCulture, $"{curves[i].Name} (AUC {roc.Auc:F3})");
            frame.Svg.BeginGroup("series", name);
            frame.Svg.Polyline(roc.FalsePositiveRate.Zip(roc.TruePositiveRate, (x, y) => (frame.X(x), frame.Y(y))), Palette.Color(i), 2, "line");
            frame.Svg.EndGroup();
            legend.Add((name, Palette.Color(i)));
        }

        frame.Legend(legend, bottom: true);
        return frame.Render();
    }

    public static void Write(string path, IReadOnlyList<(string Name, IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels)> curves, ChartOptions options) =>
        AtomicFile.WriteAllText(path, Render(curves, options));
}
