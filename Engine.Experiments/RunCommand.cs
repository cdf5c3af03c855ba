using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Engine.Core;
using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>
/// <c>run &lt;id-or-prefix&gt; [--preset] [--seed N | --seeds a,b,c] [--data] [--out] [--threads]
/// [--device] [--resume] [--checkpoint-minutes]</c>: validates every flag before anything runs
/// (a bad one is a one-line usage error), picks the backend, then hands over to <see cref="Runner"/>.
/// </summary>
public static class RunCommand
{
    public static Command Create(Option<string?> data, ProgressLog log, CancellationToken cancellation)
    {
        var id = new Argument<string>("id") { Description = "Experiment id, or a prefix of ids (every match runs)" };
        var preset = new Option<string>("--preset") { Description = $"Run size: {string.Join(" | ", Presets.Public)}", DefaultValueFactory = _ => "default" };
        preset.Validators.Add(r =>
        {
            if (!Presets.TryParse(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError($"unknown preset '{r.GetValueOrDefault<string>()}'; use one of {string.Join(", ", Presets.Public)}");
            }
        });
        var outDir = new Option<string>("--out") { Description = "Results root; a run writes <out>/<id>/ (or <out>/<id>/seed-<n>/ with --seeds)", DefaultValueFactory = _ => "results" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of every random stream of the run (default 1)" };
        var seeds = new Option<string?>("--seeds") { Description = "Comma-separated seeds, e.g. 1,2,3: one run each, into <out>/<id>/seed-<n>/" };
        seeds.Validators.Add(r =>
        {
            if (ParseSeeds(r.GetValueOrDefault<string?>(), out var problem) is null)
            {
                r.AddError(problem);
            }
        });
        var threads = new Option<int>("--threads") { Description = "CPU threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"--threads must be 0 (all cores) or positive, got {r.GetValueOrDefault<int>()}");
            }
        });
        var device = new Option<string>("--device") { Description = "Backend: cpu, or opencl[:index] (see `devices`)", DefaultValueFactory = _ => "cpu" };
        device.Validators.Add(r =>
        {
            if (Device.Parse(r.GetValueOrDefault<string>()) is null)
            {
                r.AddError($"unknown --device '{r.GetValueOrDefault<string>()}'; use cpu, opencl or opencl:<index>");
            }
        });
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in the output folder (same id, preset, seed and settings)" };
        var checkpointMinutes = new Option<double>("--checkpoint-minutes") { Description = "Minutes between mid-epoch checkpoints (every epoch end checkpoints anyway; 0 = epoch ends only)", DefaultValueFactory = _ => 10 };
        checkpointMinutes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is var m && (m < 0 || !double.IsFinite(m)))
            {
                r.AddError($"--checkpoint-minutes must be 0 or positive, got {m.ToString(CultureInfo.InvariantCulture)}");
            }
        });

        var run = new Command("run", "Run experiments and write their results, checkpoints and figures")
        {
            id, preset, seed, seeds, data, outDir, threads, device, resume, checkpointMinutes,
        };
        run.Validators.Add(r =>
        {
            if (r.GetResult(seed) is { Implicit: false } && r.GetResult(seeds) is { Implicit: false })
            {
                r.AddError("--seed and --seeds cannot be combined; pass one seed or a list");
            }
        });
        run.SetAction(parse =>
        {
            // Before anything else: the backend must be chosen before the first tensor exists.
            UseDevice(Device.Parse(parse.GetRequiredValue(device))!.Value, parse.GetValue(threads));
            var seedList = parse.GetValue(seeds) is { } list ? ParseSeeds(list, out _)! : [parse.GetValue(seed) ?? 1];
            var options = new RunOptions(Presets.Parse(parse.GetRequiredValue(preset)), seedList, DataDirectory.FromEnvironment(parse.GetValue(data)), parse.GetRequiredValue(outDir))
            {
                SeedFolders = parse.GetValue(seeds) is not null,
                Resume = parse.GetValue(resume),
                CheckpointInterval = TimeSpan.FromMinutes(parse.GetValue(checkpointMinutes)),
            };
            Runner.Run(parse.GetRequiredValue(id), options, log, cancellation);
            return ExitCodes.Success;
        });
        return run;
    }

    /// <summary>"1,2,3" → [1, 2, 3]; null with the reason for an empty list, a non-number or a repeat.</summary>
    public static ulong[]? ParseSeeds(string? text, out string problem)
    {
        problem = "";
        var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
        var values = new List<ulong>();
        foreach (var part in parts)
        {
            if (!ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                problem = $"--seeds takes comma-separated non-negative integers, got '{text}'";
                return null;
            }

            if (values.Contains(value))
            {
                problem = $"--seeds lists seed {value} twice";
                return null;
            }

            values.Add(value);
        }

        return values.ToArray();
    }

    private static void UseDevice((bool OpenCl, int Index) device, int threads)
    {
        try
        {
            Device.Use(device, threads);
        }
        catch (InvalidOperationException e)
        {
            throw new ExperimentException($"--device opencl:{device.Index}: {e.Message} (see `devices`)", ExitCodes.Usage);
        }
    }
}
