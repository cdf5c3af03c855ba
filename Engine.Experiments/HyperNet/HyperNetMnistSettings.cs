namespace Engine.Experiments.HyperNet;

/// <summary>
/// Settings of hypernet/mnist/* per preset: training (<see cref="HyperNetTraining"/>) and how many
/// generated nets are scored. paper = the reference: ensembles of 200 nets × 20 on the 5,000
/// validation and 10,000 test images; default and quick are smaller (stated in results.md).
/// </summary>
public sealed record HyperNetMnistSettings(string Preset, HyperNetTraining Training, int Ensembles, int EnsembleSize, int EvaluationImages, int PcaNets)
{
    public static HyperNetMnistSettings For(Preset preset, double lambda) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", HyperNetTraining.For(preset, lambda), 1, 4, 100, 4),
        Experiments.Preset.Quick => new("quick", HyperNetTraining.For(preset, lambda), 2, 10, 500, 20),
        Experiments.Preset.Paper => new("paper", HyperNetTraining.For(preset, lambda), 20, 200, 10_000, 200),
        _ => new("default", HyperNetTraining.For(preset, lambda), 5, 50, 5_000, 200),
    };

    /// <summary>Every net generated for the ensembles is also scored alone (the histogram).</summary>
    public int Nets => Ensembles * EnsembleSize;
}
