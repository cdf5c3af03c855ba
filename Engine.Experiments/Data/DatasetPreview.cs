namespace Engine.Experiments.Data;

/// <summary>Extra images a catalogue entry wants shown beside its dataset (e.g. Omniglot at its original 105×105).</summary>
public sealed record DatasetPreview(string Suffix, float[] Pixels, int Count, int Height, int Width);
