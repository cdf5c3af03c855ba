using System.Globalization;
using System.Text;

namespace Engine.Experiments.Reporting;

/// <summary>results.md: a heading, the metrics as a small table, then how the run was made.</summary>
public static class ResultsMarkdown
{
    public static string Render(RunReport report)
    {
        var env = report.Environment;
        var md = new StringBuilder();
        md.AppendLine($"# {report.Spec.Id} ({Presets.Name(report.Preset)} preset)");
        md.AppendLine();
        md.AppendLine(report.Spec.Description + ".");
        md.AppendLine();
        md.AppendLine("| metric | value | unit |");
        md.AppendLine("|---|---:|---|");
        foreach (var m in report.Result.Metrics)
        {
            md.AppendLine($"| {Cell(m.Label)} | {Format(m.Value)} | {Cell(m.Unit)} |");
        }

        if (report.Spec.PaperValues.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| compared with the paper | ours | paper | ours − paper | source |");
            md.AppendLine("|---|---:|---:|---:|---|");
            foreach (var p in report.Spec.PaperValues)
            {
                var ours = report.Result.Value(p.Metric);
                var label = report.Result.Metrics.FirstOrDefault(m => m.Name == p.Metric)?.Label ?? p.Metric;
                md.AppendLine($"| {Cell(label)} | {(ours is { } v ? Format(v) : "—")} | {Format(p.Value)} | {(ours is { } d ? Signed(d - p.Value) : "—")} | {Cell(p.Source)} |");
            }
        }

        var images = report.Result.Files.Where(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal)).ToArray();
        if (images.Length > 0)
        {
            md.AppendLine();
            foreach (var image in images)
            {
                md.AppendLine($"![{Path.GetFileNameWithoutExtension(image).Replace('_', ' ')}]({image})");
            }
        }

        md.AppendLine();
        foreach (var note in report.Result.Notes)
        {
            md.AppendLine($"- {note}");
        }

        md.AppendLine($"- seed {report.Seed}; wall time {ProgressLog.Duration(report.WallSeconds)}; started {report.StartedUtc:yyyy-MM-dd HH:mm} UTC"
            + (report.Result.ResumedFrom is { } from ? $"; resumed from a checkpoint at {from}" : ""));
        if (report.Result.Files.Count > 0)
        {
            md.AppendLine($"- files: {string.Join(", ", report.Result.Files)}");
        }

        md.AppendLine($"- engine {env.EngineVersion}, commit {env.GitCommit}");
        md.AppendLine($"- {env.Cpu}, {env.Cores} cores ({env.Threads} {(env.Threads == 1 ? "thread" : "threads")} used, {env.Simd}), {env.Os}, {env.Dotnet}");
        return md.ToString();
    }

    /// <summary>Escapes '|' so a label like "−log p(x|z)" stays in one table cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Signed(double value) => (value > 0 ? "+" : "") + Format(value);

    internal static string Format(double value) =>
        double.IsFinite(value) && Math.Abs(value - Math.Round(value)) < 1e-9 && Math.Abs(value) < 1e9
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);
}
