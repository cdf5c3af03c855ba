namespace Engine.Experiments.HyperNet;

/// <summary>
/// Settings of hypernet/mnist per preset. paper = the reference (13,000 steps, λ = 1e3, ensembles
/// of 200 nets × 20 on the 10,000 test images); default and quick are smaller (stated in results.md).
/// </summary>
public sealed record HyperNetMnistSettings(
    string Preset,
    int Steps,
    double Lambda,
    int NoiseBatch,
    int ImagesPerNet,
    double LearningRate,
    double LearningRateDecay,
    int EvaluatedNets,
    int EvaluationImages,
    int Ensembles,
    int EnsembleSize)
{
    public static HyperNetMnistSettings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 2, 1e3, 4, 8, 3e-4, 0.99998, 4, 100, 1, 4),
        Experiments.Preset.Quick => new("quick", 40, 1e3, 32, 32, 3e-4, 0.99998, 10, 500, 2, 5),
        Experiments.Preset.Paper => new("paper", 13_000, 1e3, 32, 32, 3e-4, 0.99998, 200, 10_000, 20, 200),
        _ => new("default", 1_500, 1e3, 32, 32, 3e-4, 0.99998, 40, 2_000, 5, 20),
    };
}
