namespace Engine.Experiments;

/// <summary>
/// One epoch of training: mean train loss, the validation metric after it, the mean gradient norm
/// (before any clipping), the global step count at its end and how long it took.
/// </summary>
public sealed record EpochRecord(int Epoch, long Step, double TrainLoss, double Validation, double GradNorm, double Seconds);
