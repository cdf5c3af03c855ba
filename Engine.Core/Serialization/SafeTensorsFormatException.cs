namespace Engine.Core.Serialization;

/// <summary>A safetensors file that violates the format or does not match what the caller expects.</summary>
public sealed class SafeTensorsFormatException(string path, string problem)
    : Exception($"{path}: {problem}")
{
    public string Path { get; } = path;
}
