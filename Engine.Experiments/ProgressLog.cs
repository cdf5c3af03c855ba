using System.Diagnostics;
using System.Globalization;
using Engine.Experiments.Training;

namespace Engine.Experiments;

/// <summary>
/// Plain progress lines, flushed one by one so they show up live in a terminal, a pipe or a log
/// file alike (no cursor tricks: redirected output must stay readable). Within an epoch a status
/// line appears every <see cref="StepLineInterval"/>, so a CI log shows a long epoch is alive.
/// <see cref="LiveProgressLog"/> draws a progress bar instead when the output is a terminal.
/// </summary>
public class ProgressLog(TextWriter writer)
{
    private readonly Stopwatch _sinceStepLine = Stopwatch.StartNew();

    /// <summary>How often <see cref="Step"/> prints a line in plain mode.</summary>
    public TimeSpan StepLineInterval { get; init; } = TimeSpan.FromSeconds(30);

    public virtual void Line(string message)
    {
        writer.WriteLine(message);
        writer.Flush();
    }

    /// <summary>Runs a training loop of <paramref name="totalSteps"/> steps (of which <paramref name="doneSteps"/> are done) under this log's progress display.</summary>
    public virtual T Training<T>(string title, long totalSteps, long doneSteps, Func<T> body)
    {
        _sinceStepLine.Restart();
        return body();
    }

    /// <summary>Called after every training step.</summary>
    public virtual void Step(TrainingStatus status)
    {
        if (_sinceStepLine.Elapsed >= StepLineInterval && status.Step < status.StepsPerEpoch)
        {
            _sinceStepLine.Restart();
            Line(status.Format());
        }
    }

    /// <summary>One line per epoch: epoch, train loss, validation metric, epoch seconds, throughput and an ETA for the remaining epochs.</summary>
    public void Epoch(EpochRecord record, int epochs, string validationName, double itemsPerSecond, string itemName, double etaSeconds, string? note = null)
    {
        _sinceStepLine.Restart();
        Line(string.Create(CultureInfo.InvariantCulture,
            $"epoch {record.Epoch,4}/{epochs}  train {record.TrainLoss,8:F2}  {validationName} {record.Validation,8:F2}  {record.Seconds,6:F1}s {itemsPerSecond,6:F0} {itemName}/s  eta {Duration(etaSeconds)}{(note is null ? "" : " " + note)}"));
    }

    /// <summary>"1h02m", "3m05s" or "12s".</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(double.IsFinite(seconds) ? Math.Max(0, seconds) : 0);
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s"
            : $"{t.Seconds}s";
    }
}
