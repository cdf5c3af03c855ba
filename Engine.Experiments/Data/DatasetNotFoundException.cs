namespace Engine.Experiments.Data;

/// <summary>A dataset is in none of the searched places; the message lists them and how to obtain it.</summary>
public sealed class DatasetNotFoundException(string message) : ExperimentException(message, ExitCodes.MissingData);
