namespace Engine.Experiments;

/// <summary>
/// A failure the user can act on (unknown id, bad option, missing or malformed data): the console
/// prints its message as one line on stderr and exits with <see cref="ExitCode"/>, no stack trace.
/// </summary>
public class ExperimentException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
