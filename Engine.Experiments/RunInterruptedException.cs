namespace Engine.Experiments;

/// <summary>Ctrl-C or SIGTERM stopped a run after its checkpoint was written; the message says how to resume.</summary>
public sealed class RunInterruptedException(string message) : ExperimentException(message, ExitCodes.Interrupted);
