using System.Globalization;

namespace Engine.Experiments.Training;

/// <summary>Where a training loop is, for progress displays: position, running loss, last validation, speed and ETA.</summary>
public sealed record TrainingStatus(
    int Epoch,
    int Epochs,
    int Step,
    int StepsPerEpoch,
    long GlobalStep,
    long TotalSteps,
    double Loss,
    double? Validation,
    string ValidationName,
    double ItemsPerSecond,
    string ItemName,
    double EtaSeconds)
{
    /// <summary>"epoch 3/8  step 45/100  loss 123.45  val -elbo 110.20  540 img/s  eta 1m05s".</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}/{Epochs}  step {Step}/{StepsPerEpoch}  loss {Loss:F2}{(Validation is { } v ? $"  {ValidationName} {v:F2}" : "")}  {ItemsPerSecond:F0} {ItemName}/s  eta {ProgressLog.Duration(EtaSeconds)}");

    /// <summary>"3/8 45/100 loss 123.45 val 110.20 540 img/s eta 1m05s", for an 80-column terminal.</summary>
    public string FormatCompact() => string.Create(CultureInfo.InvariantCulture,
        $"{Epoch}/{Epochs} {Step}/{StepsPerEpoch} loss {Loss:F2}{(Validation is { } v ? $" val {v:F2}" : "")} {ItemsPerSecond:F0} {ItemName}/s eta {ProgressLog.Duration(EtaSeconds)}");
}
