using Engine.Experiments.Training;
using Spectre.Console;

namespace Engine.Experiments;

/// <summary>
/// Progress for a terminal: while a training loop runs, a live Spectre.Console bar shows epoch and
/// step, running loss, last validation metric, throughput and ETA; other lines (epoch summaries,
/// evaluation) scroll above it. Used only when stdout is an interactive terminal.
/// </summary>
public sealed class LiveProgressLog(IAnsiConsole console) : ProgressLog(TextWriter.Null)
{
    private ProgressTask? _task;
    private bool _wide;

    /// <summary>True when stdout is a terminal Spectre can redraw (not redirected, not a dumb or CI console).</summary>
    public static bool IsSupported() => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    public override void Line(string message) => console.WriteLine(message);

    public override T Training<T>(string title, long totalSteps, long doneSteps, Func<T> body)
    {
        // Wide terminals get the spelled-out status and the elapsed time; 80 columns the compact one.
        _wide = console.Profile.Width >= 110;
        ProgressColumn[] columns = _wide
            ? [new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new ElapsedTimeColumn()]
            : [new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 14 }, new PercentageColumn()];
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(columns)
            .Start(ctx =>
            {
                _task = ctx.AddTask(Markup.Escape(title), autoStart: true, maxValue: Math.Max(1, totalSteps));
                _task.Value = doneSteps;
                try
                {
                    var result = body();
                    _task.MaxValue = Math.Max(1, _task.Value); // early stopping ends before the planned last step
                    return result;
                }
                finally
                {
                    _task.StopTask();
                    _task = null;
                }
            });
    }

    public override void Step(TrainingStatus status)
    {
        if (_task is { } task)
        {
            task.Value = status.GlobalStep;
            task.Description = Markup.Escape(_wide ? status.Format() : status.FormatCompact());
        }
    }
}
