using System.Globalization;

namespace Engine.Experiments;

/// <summary>
/// Plain progress lines, flushed one by one so they show up live in a terminal, a pipe or a log
/// file alike (no cursor tricks: redirected output must stay readable).
/// </summary>
public sealed class ProgressLog(TextWriter writer)
{
    public void Line(string message)
    {
        writer.WriteLine(message);
        writer.Flush();
    }

    /// <summary>One line per epoch: epoch, train loss, validation −ELBO, epoch seconds and an ETA for the remaining epochs.</summary>
    public void Epoch(int epoch, int epochs, double trainLoss, double validation, double seconds, double meanEpochSeconds, string? note = null) =>
        Line(string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch,4}/{epochs}  train {trainLoss,8:F2}  val -elbo {validation,8:F2}  {seconds,6:F1}s  eta {Duration((epochs - epoch) * meanEpochSeconds)}{(note is null ? "" : "  " + note)}"));

    /// <summary>"1h02m", "3m05s" or "12s".</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:D2}m"
            : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:D2}s"
            : $"{t.Seconds}s";
    }
}
