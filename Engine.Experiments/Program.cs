using System.CommandLine;
using Engine.Core;
using Engine.Experiments.Commands;
using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>
/// The console's commands: <c>list</c>, <c>run &lt;id-or-prefix&gt;</c> and <c>datasets</c>. Only argument handling
/// lives here; the work is in <see cref="Runner"/>. User errors print one line on stderr and exit
/// with a non-zero <see cref="ExitCodes"/> value.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the console in-process with the given writers (tests use this).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parse = Commands(output).Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see --help)");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ExperimentException e)
        {
            error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"error: bad data file: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    private static RootCommand Commands(TextWriter output)
    {
        var data = new Option<string?>("--data") { Description = $"Datasets folder (searched first; then ${DataDirectory.EnvironmentVariable}, ../shared/datasets beside the repository, {DataDirectory.SystemDirectory})" };

        var list = new Command("list", "List experiments and whether their data was found") { data };
        list.SetAction(parse =>
        {
            var resolver = DataDirectory.FromEnvironment(parse.GetValue(data));
            var width = Registry.All.Max(s => s.Id.Length);
            foreach (var spec in Registry.All)
            {
                var found = spec.Datasets.Select(d => resolver.TryFind(d) is { } folder ? $"{d.Name}: {folder}" : $"{d.Name}: MISSING");
                output.WriteLine($"{spec.Id.PadRight(width)}  {spec.Description}  [data {string.Join(", ", found)}]");
            }

            return ExitCodes.Success;
        });

        var id = new Argument<string>("id") { Description = "Experiment id, or a prefix of ids (every match runs)" };
        var preset = new Option<string>("--preset") { Description = $"Run size: {string.Join(" | ", Presets.Public)}", DefaultValueFactory = _ => "default" };
        preset.Validators.Add(r =>
        {
            if (!Presets.TryParse(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError($"unknown preset '{r.GetValueOrDefault<string>()}'; use one of {string.Join(", ", Presets.Public)}");
            }
        });
        var outDir = new Option<string>("--out") { Description = "Results root; each experiment writes <out>/<id>/results.json and results.md", DefaultValueFactory = _ => "results" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random stream of the run", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"--threads must be 0 (all cores) or positive, got {r.GetValueOrDefault<int>()}");
            }
        });

        var run = new Command("run", "Run experiments and write their results") { id, preset, data, outDir, seed, threads };
        run.SetAction(parse =>
        {
            // Before anything else: the backend must be chosen before the first tensor exists.
            if (parse.GetValue(threads) is var t and > 0)
            {
                Device.UseCpu(t);
            }

            Runner.Run(
                parse.GetRequiredValue(id),
                Presets.Parse(parse.GetRequiredValue(preset)),
                parse.GetValue(seed),
                DataDirectory.FromEnvironment(parse.GetValue(data)),
                parse.GetRequiredValue(outDir),
                new ProgressLog(output));
            return ExitCodes.Success;
        });

        return new RootCommand("Engine experiments: train and evaluate the models behind each paper table") { list, run, DatasetsCommand.Create(output) };
    }
}
