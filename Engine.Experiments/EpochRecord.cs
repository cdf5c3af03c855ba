namespace Engine.Experiments;

/// <summary>One epoch of training: mean train loss, validation −ELBO, and how long the epoch took.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double ValidationNegElbo, double Seconds);
