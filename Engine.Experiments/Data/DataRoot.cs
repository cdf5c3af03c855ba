namespace Engine.Experiments.Data;

/// <summary>A folder searched for datasets and why it is searched ("--data", "ENGINE_DATA", …).</summary>
public sealed record DataRoot(string Path, string Origin);
