using System.CommandLine;
using Engine.Experiments.Reporting;

namespace Engine.Experiments;

/// <summary><c>report [--out DIR]</c>: writes &lt;out&gt;/report.md from every finished run and prints it.</summary>
public static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var outDir = new Option<string>("--out") { Description = "Results root to gather (every <out>/**/results.json)", DefaultValueFactory = _ => "results" };
        var report = new Command("report", "Gather finished runs into one Markdown table per paper table: our mean ± std over seeds beside the paper's number") { outDir };
        report.SetAction(parse =>
        {
            var (path, markdown, skipped) = PaperReport.Write(parse.GetRequiredValue(outDir));
            output.Write(markdown);
            foreach (var s in skipped)
            {
                output.WriteLine($"skipped unreadable {s}");
            }

            output.WriteLine();
            output.WriteLine($"wrote {Path.GetFullPath(path)}");
            return ExitCodes.Success;
        });
        return report;
    }
}
