namespace Engine.Experiments.Meta;

/// <summary>Settings of metavae/mog per preset (spec metavae §9.1; the model is our design).</summary>
public sealed record MixtureClusteringSettings(
    string Preset,
    int[] TrainingMixtures,
    int SetSize,
    int Steps,
    int TestMixtures,
    double LearningRate,
    int Hidden)
{
    public static MixtureClusteringSettings For(Engine.Experiments.Preset preset) => preset switch
    {
        Engine.Experiments.Preset.Smoke => new("smoke", [10], 20, 30, 20, 1e-3, 16),
        Engine.Experiments.Preset.Quick => new("quick", [10, 20, 50], 20, 6000, 200, 1e-3, 64),
        Engine.Experiments.Preset.Paper => new("paper", [10, 20, 50], 20, 100_000, 1000, 1e-3, 64),
        _ => new("default", [10, 20, 50], 20, 30_000, 1000, 1e-3, 64),
    };
}
