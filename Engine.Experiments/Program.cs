using System.CommandLine;
using System.Runtime.InteropServices;
using Engine.Experiments.Commands;
using Engine.Experiments.Data;
using Spectre.Console;

namespace Engine.Experiments;

/// <summary>
/// The console's commands: <c>list [prefix]</c>, <c>run &lt;id-or-prefix&gt;</c>, <c>report</c>,
/// <c>datasets</c> and <c>devices</c>. Only argument handling lives here; the work is in <see cref="Runner"/>,
/// <see cref="ReportCommand"/> and <see cref="DevicesCommand"/>. User errors print one line on
/// stderr and exit with a non-zero <see cref="ExitCodes"/> value.
/// </summary>
public static class Program
{
    /// <summary>How long a run may take to stop after SIGTERM before the process exits anyway.</summary>
    private static readonly TimeSpan TerminateGrace = TimeSpan.FromSeconds(60);

    public static int Main(string[] args)
    {
        // Ctrl-C (first press) and SIGTERM ask the training loop to checkpoint at the next step
        // and stop cleanly; a second Ctrl-C kills the process at once.
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!interrupt.IsCancellationRequested)
            {
                e.Cancel = true;
                Console.Error.WriteLine("interrupt: checkpointing after the current step (Ctrl-C again to kill at once)");
                interrupt.Cancel();
            }
        };
        // SIGTERM (a scheduler, `kill`): the same clean stop, but nobody is there to press Ctrl-C
        // again, and experiments without a checkpointing loop (hypernet/*, hypervae/*, metavae/mog …)
        // never look at the token, so the process exits on its own after a grace period; a second
        // SIGTERM terminates at once. Checkpoints are written atomically, so the cut cannot corrupt one.
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (interrupt.IsCancellationRequested)
            {
                return;
            }

            context.Cancel = true;
            Console.Error.WriteLine($"terminate: checkpointing after the current step; exiting with {ExitCodes.Interrupted} in {TerminateGrace.TotalSeconds:F0} s at the latest (SIGTERM again to stop at once)");
            interrupt.Cancel();
            _ = Task.Delay(TerminateGrace).ContinueWith(_ => Environment.Exit(ExitCodes.Interrupted), TaskScheduler.Default);
        });
        var progress = LiveProgressLog.IsSupported() ? new LiveProgressLog(AnsiConsole.Console) : null;
        return Run(args, Console.Out, Console.Error, progress, interrupt.Token);
    }

    /// <summary>
    /// Runs the console in-process with the given writers (tests use this). <paramref name="progress"/>
    /// replaces the plain line log (the live bar in a terminal); <paramref name="cancellation"/>
    /// plays the role of Ctrl-C.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, ProgressLog? progress = null, CancellationToken cancellation = default)
    {
        var parse = Commands(output, progress ?? new ProgressLog(output), cancellation).Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {string.Join("; ", parse.Errors.Select(e => e.Message))} (see --help)");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration
            {
                Output = output,
                Error = error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Main handles Ctrl-C itself, so a checkpoint can be written
            });
        }
        catch (RunInterruptedException e)
        {
            error.WriteLine(e.Message);
            return e.ExitCode;
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

    private static RootCommand Commands(TextWriter output, ProgressLog log, CancellationToken cancellation)
    {
        var data = new Option<string?>("--data") { Description = $"Datasets folder (searched first; then ${DataDirectory.EnvironmentVariable}, ../shared/datasets beside the repository, {DataDirectory.SystemDirectory})" };

        var prefix = new Argument<string?>("prefix") { Description = "Only ids starting with this", Arity = ArgumentArity.ZeroOrOne };
        var list = new Command("list", "List experiments, their report table and whether their data was found") { prefix, data };
        list.SetAction(parse =>
        {
            var resolver = DataDirectory.FromEnvironment(parse.GetValue(data));
            var specs = Registry.Match(parse.GetValue(prefix) ?? "");
            if (specs.Count == 0)
            {
                throw new ExperimentException($"no experiment id starts with '{parse.GetValue(prefix)}' (see `list`).", ExitCodes.Usage);
            }

            var width = specs.Max(s => s.Id.Length);
            foreach (var spec in specs)
            {
                var found = spec.Datasets.Select(d => resolver.TryFind(d) is { } folder ? $"{d.Name}: {folder}" : $"{d.Name}: MISSING");
                output.WriteLine($"{spec.Id.PadRight(width)}  {spec.Description}  [table {spec.TableKey}] [data {string.Join(", ", found)}]");
            }

            return ExitCodes.Success;
        });

        var run = RunCommand.Create(data, log, cancellation);
        return new RootCommand("Engine experiments: train and evaluate the models behind each paper table")
        {
            list,
            run,
            ReportCommand.Create(output),
            DevicesCommand.Create(output),
            DatasetsCommand.Create(output),
        };
    }
}
