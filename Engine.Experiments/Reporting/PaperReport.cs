using System.Globalization;
using System.Text;
using System.Text.Json;
using Engine.Core.Serialization;

namespace Engine.Experiments.Reporting;

/// <summary>
/// `report`: gathers every results.json under the results root and writes report.md with one
/// Markdown table per paper table: for each experiment and preset, our mean ± sample standard
/// deviation over seeds beside the paper's number and the difference, then the sources.
/// </summary>
public static class PaperReport
{
    public const string FileName = "report.md";

    /// <summary>Every readable results.json below <paramref name="outRoot"/>; unreadable ones are named in <paramref name="skipped"/>.</summary>
    public static IReadOnlyList<ResultRow> Load(string outRoot, List<string> skipped)
    {
        var rows = new List<ResultRow>();
        foreach (var path in Directory.EnumerateFiles(outRoot, ResultsWriter.JsonFile, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                rows.Add(Parse(path, File.ReadAllText(path)));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                skipped.Add($"{path} ({e.Message})");
            }
        }

        // The same run found twice (copied folders): keep the latest.
        return rows.GroupBy(r => (r.Id, r.Preset, r.Seed)).Select(g => g.MaxBy(r => r.StartedUtc)!).ToArray();
    }

    public static ResultRow Parse(string path, string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var id = root.GetProperty("id").GetString() ?? throw new FormatException("id is null");
        var metrics = new Dictionary<string, (double, string)>();
        foreach (var m in root.GetProperty("metrics").EnumerateObject())
        {
            var value = m.Value.GetProperty("value");
            metrics[m.Name] = (value.ValueKind == JsonValueKind.Number ? value.GetDouble() : double.NaN,
                m.Value.TryGetProperty("label", out var label) ? label.GetString() ?? m.Name : m.Name);
        }

        var paper = new List<PaperValue>();
        if (root.TryGetProperty("paper", out var papers))
        {
            foreach (var p in papers.EnumerateArray())
            {
                paper.Add(new PaperValue(p.GetProperty("metric").GetString()!, p.GetProperty("value").GetDouble(), p.GetProperty("source").GetString() ?? ""));
            }
        }

        var table = root.TryGetProperty("table", out var t) && t.GetString() is { Length: > 0 } key ? key : id.Contains('/') ? id[..id.LastIndexOf('/')] : id;
        var started = root.TryGetProperty("started_utc", out var s) && DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
            ? when : DateTimeOffset.MinValue;
        var reported = root.TryGetProperty("reported", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];
        return new ResultRow(id, table, root.GetProperty("preset").GetString()!, root.GetProperty("seed").GetUInt64(), started, metrics, paper, path, reported);
    }

    public static string Render(IReadOnlyList<ResultRow> rows, string outRoot)
    {
        var md = new StringBuilder();
        md.AppendLine("# Results beside the papers");
        md.AppendLine();
        md.AppendLine($"{rows.Count} finished run{(rows.Count == 1 ? "" : "s")} under `{outRoot}`; ours = mean ± sample standard deviation over seeds (a single seed shows no ±).");
        foreach (var table in rows.GroupBy(r => r.Table).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            md.AppendLine();
            md.AppendLine($"## {table.Key}");
            md.AppendLine();
            md.AppendLine("| experiment | preset | seeds | metric | ours | paper | ours − paper |");
            md.AppendLine("|---|---|---:|---|---:|---:|---:|");
            var sources = new List<string>();
            foreach (var group in table.GroupBy(r => (r.Id, r.Preset)).OrderBy(g => g.Key.Id, StringComparer.Ordinal).ThenBy(g => PresetOrder(g.Key.Preset)))
            {
                var runs = group.OrderBy(r => r.Seed).ToArray();
                var paper = runs[^1].Paper;
                // Without paper numbers: the metrics the row names as reported, else its first one.
                var compared = paper.Count > 0
                    ? paper.Select(p => (p.Metric, (double?)p.Value))
                    : runs[^1].Reported is { Count: > 0 } reported
                        ? reported.Select(m => (m, (double?)null))
                        : runs[0].Metrics.Keys.Take(1).Select(m => (m, (double?)null));
                foreach (var (metric, paperValue) in compared)
                {
                    var values = runs.Select(r => r.Metrics.TryGetValue(metric, out var m) ? m.Value : double.NaN).ToArray();
                    var label = runs.Select(r => r.Metrics.TryGetValue(metric, out var m) ? m.Label : null).FirstOrDefault(l => l is not null) ?? metric;
                    var (mean, std) = MeanStd(values);
                    md.AppendLine($"| {group.Key.Id} | {group.Key.Preset} | {string.Join(", ", runs.Select(r => r.Seed))} | {Cell(label)} | "
                        + $"{Number(mean)}{(values.Length > 1 ? " ± " + Number(std, like: mean) : "")} | {(paperValue is { } p ? Number(p) : "—")} | "
                        + $"{(paperValue is { } q && double.IsFinite(mean) ? Signed(mean - q) : "—")} |");
                }

                sources.AddRange(paper.Select(p => $"{group.Key.Id}, {p.Metric}: {p.Source}"));
            }

            if (sources.Count > 0)
            {
                md.AppendLine();
                foreach (var source in sources.Distinct())
                {
                    md.AppendLine($"- {source}");
                }
            }
        }

        return md.ToString();
    }

    /// <summary>Reads every result under <paramref name="outRoot"/> and writes <c>&lt;outRoot&gt;/report.md</c>; returns its path and text.</summary>
    public static (string Path, string Markdown, IReadOnlyList<string> Skipped) Write(string outRoot)
    {
        if (!Directory.Exists(outRoot))
        {
            throw new ExperimentException($"no results folder '{outRoot}'; run experiments first (`run <id> --out {outRoot}`).");
        }

        var skipped = new List<string>();
        var rows = Load(outRoot, skipped);
        if (rows.Count == 0)
        {
            throw new ExperimentException($"no finished runs (results.json) under '{outRoot}'.");
        }

        var markdown = Render(rows, outRoot);
        var path = Path.Combine(outRoot, FileName);
        AtomicFile.WriteAllText(path, markdown);
        return (path, markdown, skipped);
    }

    /// <summary>Mean and sample (n − 1) standard deviation of the finite values; NaN when none.</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return (double.NaN, double.NaN);
        }

        var mean = finite.Average();
        var std = finite.Length > 1 ? Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1)) : 0;
        return (mean, std);
    }

    /// <summary>
    /// Two decimals from 10 up (nats), four significant digits below (accuracies, rates); a spread
    /// is written <paramref name="like"/> its mean, so "91.00 ± 1.41" lines up.
    /// </summary>
    public static string Number(double value, double? like = null) =>
        !double.IsFinite(value) ? "—"
        : Math.Abs(like ?? value) >= 10 ? value.ToString("F2", CultureInfo.InvariantCulture)
        : value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (value > 0 ? "+" : "") + Number(value);

    private static int PresetOrder(string preset) => Presets.TryParse(preset, out var p) ? (int)p : int.MaxValue;

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
