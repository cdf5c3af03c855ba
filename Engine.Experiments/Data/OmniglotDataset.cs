namespace Engine.Experiments.Data;

/// <summary>Omniglot at 28×28 with its splits (labels = alphabet) plus each image's character index (0…1622) per split.</summary>
public sealed record OmniglotDataset(ImageDataset Images, int[] TrainCharacters, int[] ValidationCharacters, int[] TestCharacters);
