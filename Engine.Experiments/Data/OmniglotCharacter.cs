namespace Engine.Experiments.Data;

/// <summary>One Omniglot character: its global index (background rows first, then evaluation), the set and row it came from, its alphabet and folder name.</summary>
public sealed record OmniglotCharacter(int Index, string Set, int Row, int CharId, int Alphabet, string Name);
