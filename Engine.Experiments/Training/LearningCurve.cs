using System.Globalization;
using System.Text;
using Engine.Core.Serialization;
using Engine.Experiments.Reporting.Figures;

namespace Engine.Experiments.Training;

/// <summary>train.csv (one row per epoch) and learning_curve.svg (train loss and validation metric per epoch), rewritten after every epoch.</summary>
public static class LearningCurve
{
    public const string CsvFile = "train.csv";
    public const string SvgFile = "learning_curve.svg";

    public static string Csv(IReadOnlyList<EpochRecord> history)
    {
        var csv = new StringBuilder("epoch,step,train_loss,validation,grad_norm,seconds\n");
        foreach (var h in history)
        {
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{h.Epoch},{h.Step},{h.TrainLoss:R},{h.Validation:R},{h.GradNorm:R},{h.Seconds:F3}"));
        }

        return csv.ToString();
    }

    public static void Write(string folder, IReadOnlyList<EpochRecord> history, string validationName)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), Csv(history));
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        LineChart.Write(Path.Combine(folder, SvgFile),
            [new Series("train loss", epochs, history.Select(h => h.TrainLoss).ToArray()), new Series(validationName, epochs, history.Select(h => h.Validation).ToArray())],
            new ChartOptions("Learning curve", "epoch", $"train loss, {validationName}"));
    }
}
