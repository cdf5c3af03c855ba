using System.Diagnostics;
using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;

namespace Engine.Experiments;

/// <summary>Runs the experiments matching an id prefix and writes each one's results folder.</summary>
public static class Runner
{
    /// <summary>
    /// Resolves the prefix, checks every needed dataset before starting anything (so a long run
    /// does not fail halfway for a missing file), then runs each experiment in registry order.
    /// Returns the folders written. Throws <see cref="ExperimentException"/> for user errors.
    /// </summary>
    public static IReadOnlyList<string> Run(string prefix, Preset preset, ulong seed, DataDirectory data, string outRoot, ProgressLog log)
    {
        var specs = Registry.Match(prefix);
        if (specs.Count == 0)
        {
            throw new ExperimentException(
                $"unknown experiment '{prefix}': no id starts with it. Known ids: {string.Join(", ", Registry.All.Select(s => s.Id))} (see `list`).",
                ExitCodes.Usage);
        }

        foreach (var dataset in specs.SelectMany(s => s.Datasets).Distinct())
        {
            data.Find(dataset);
        }

        var written = new List<string>();
        foreach (var spec in specs)
        {
            var folder = Path.GetFullPath(Path.Combine(outRoot, spec.Id.Replace('/', Path.DirectorySeparatorChar)));
            Directory.CreateDirectory(folder);
            log.Line($"== {spec.Id}: preset {Presets.Name(preset)}, seed {seed}, {Device.Default.Name} x{Device.Default.Parallelism} threads ==");
            var context = new RunContext(seed, preset, data, folder, log);
            var started = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var result = spec.Create().Run(context);
            var report = new RunReport(spec, preset, seed, started, clock.Elapsed.TotalSeconds, result, EnvironmentInfo.Capture());
            ResultsWriter.Write(folder, report);
            log.Line($"{spec.Id}: done in {ProgressLog.Duration(report.WallSeconds)}; wrote {Path.Combine(folder, ResultsWriter.JsonFile)} and {ResultsWriter.MarkdownFile}");
            written.Add(folder);
        }

        return written;
    }
}
