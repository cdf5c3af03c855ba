namespace Engine.Experiments.Data.Integrity;

/// <summary>One verified dataset file: where it is, its SHA-256, and whether the hash came from the cache.</summary>
public sealed record FileCheck(string Path, string Sha256, bool FromCache);
