namespace Engine.Experiments.HyperVae;

/// <summary>
/// Settings of the hypervae/* rows per preset. paper = the seed's 10,000 Adam iterations (lr 3e-4),
/// IS-NLL with 1024 samples on the whole test set; default = what fits here (stated in results.md).
/// </summary>
public sealed record HyperVaeSettings(
    string Preset,
    int Iterations,
    int BatchSize,
    double LearningRate,
    int TestImages,
    int IsNllImages,
    int IsNllSamples,
    int ElboSamples,
    int SetSize = 10)
{
    public static HyperVaeSettings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 3, 100, 3e-4, 200, 4, 8, 1),
        Experiments.Preset.Quick => new("quick", 150, 100, 3e-4, 1000, 20, 64, 2),
        Experiments.Preset.Paper => new("paper", 10_000, 100, 3e-4, int.MaxValue, int.MaxValue, 1024, 10),
        _ => new("default", 2_000, 100, 3e-4, 5_000, 200, 1024, 10),
    };
}
