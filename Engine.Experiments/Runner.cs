using System.Diagnostics;
using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;

namespace Engine.Experiments;

/// <summary>Runs the experiments matching an id prefix, once per seed, and writes each run's results folder.</summary>
public static class Runner
{
    /// <summary>One seed into <c>&lt;out&gt;/&lt;id&gt;/</c>, no resume (the shape tests and scripts use most).</summary>
    public static IReadOnlyList<string> Run(string prefix, Preset preset, ulong seed, DataDirectory data, string outRoot, ProgressLog log) =>
        Run(prefix, new RunOptions(preset, [seed], data, outRoot), log);

    /// <summary>
    /// Resolves the prefix, checks every needed dataset before starting anything (so a long run
    /// does not fail halfway for a missing file), then runs each experiment in registry order and
    /// each seed in the given order, holding the run folder's lock while it writes there.
    /// When a prefix matches several rows, rows whose data is missing are skipped with the reason
    /// (a table's other rows still run); a single row, or a prefix none of whose rows has its
    /// data, fails with <see cref="DatasetNotFoundException"/>. Returns the folders written.
    /// Throws <see cref="ExperimentException"/> for user errors.
    /// </summary>
    public static IReadOnlyList<string> Run(string prefix, RunOptions options, ProgressLog log, CancellationToken cancellation = default)
    {
        var specs = Registry.Match(prefix);
        if (specs.Count == 0)
        {
            throw new ExperimentException(
                $"unknown experiment '{prefix}': no id starts with it. Known ids: {string.Join(", ", Registry.All.Select(s => s.Id))} (see `list`).",
                ExitCodes.Usage);
        }

        var runnable = WithData(specs, options.Data, log);
        var written = new List<string>();
        foreach (var spec in runnable)
        {
            foreach (var seed in options.Seeds)
            {
                written.Add(RunOne(spec, seed, options, log, cancellation));
            }
        }

        return written;
    }

    internal static List<ExperimentSpec> WithData(IReadOnlyList<ExperimentSpec> specs, DataDirectory data, ProgressLog log)
    {
        var missing = new Dictionary<DatasetInfo, DatasetNotFoundException?>();
        DatasetNotFoundException? Check(DatasetInfo dataset)
        {
            if (!missing.TryGetValue(dataset, out var problem))
            {
                try
                {
                    data.Find(dataset);
                }
                catch (DatasetNotFoundException e)
                {
                    problem = e;
                }

                missing[dataset] = problem;
            }

            return problem;
        }

        var runnable = new List<ExperimentSpec>();
        DatasetNotFoundException? first = null;
        foreach (var spec in specs)
        {
            var problem = spec.Datasets.Select(Check).FirstOrDefault(p => p is not null);
            if (problem is null)
            {
                runnable.Add(spec);
                continue;
            }

            first ??= problem;
            if (specs.Count > 1)
            {
                log.Line($"skipped {spec.Id}: {problem.Message}");
            }
        }

        return runnable.Count > 0 ? runnable : throw first!;
    }

    private static string RunOne(ExperimentSpec spec, ulong seed, RunOptions options, ProgressLog log, CancellationToken cancellation)
    {
        var folder = options.Folder(spec.Id, seed);
        using var runLock = RunLock.Acquire(folder, log);
        log.Line($"== {spec.Id}: preset {Presets.Name(options.Preset)}, seed {seed}, {Device.Default.Name}, {Device.Default.Parallelism} {(Device.Default.Parallelism == 1 ? "thread" : "threads")} ==");
        var context = new RunContext(seed, options.Preset, options.Data, folder, log)
        {
            Id = spec.Id,
            Resume = options.Resume,
            CheckpointInterval = options.CheckpointInterval,
            Cancellation = cancellation,
        };
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var result = spec.Create().Run(context);
        var report = new RunReport(spec, options.Preset, seed, started, clock.Elapsed.TotalSeconds, result, EnvironmentInfo.Capture());
        ResultsWriter.Write(folder, report);
        log.Line($"{spec.Id}: done in {ProgressLog.Duration(report.WallSeconds)}; results: {Path.Combine(folder, ResultsWriter.JsonFile)}");
        return folder;
    }
}
