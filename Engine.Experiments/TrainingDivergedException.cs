namespace Engine.Experiments;

/// <summary>A loss or gradient became NaN or ±∞: the message names the op and the step, and the checkpoint kept.</summary>
public sealed class TrainingDivergedException(string message) : ExperimentException(message, ExitCodes.Diverged);
