namespace Engine.Experiments.HyperNet;

/// <summary>
/// Settings of hypernet/mnist/* per preset: training (<see cref="HyperNetTraining"/>) and how generated
/// nets are scored: <see cref="Ensembles"/> majority-vote ensembles of <see cref="EnsembleSize"/> fresh nets
/// each (every net also scored alone) on the first <see cref="TestImages"/> test and
/// <see cref="ValidationImages"/> validation images. paper = the reference: 20 × 200 on the 10,000 test
/// and 5,000 validation images. default keeps the paper's 200-net ensembles but scores 4 of them on
/// fewer images, sized so training plus evaluation fit in about 45 minutes on 2 cores (scoring costs
/// ~6.5 MFLOP per net and image, ~0.3 ms measured on the loaded 2-core machine: 4 × 200 nets ×
/// 2,500 images ≈ 10 minutes); quick is a pipeline check.
/// </summary>
public sealed record HyperNetMnistSettings(string Preset, HyperNetTraining Training, int Ensembles, int EnsembleSize, int TestImages, int ValidationImages, int PcaNets)
{
    public static HyperNetMnistSettings For(Preset preset, double lambda) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", HyperNetTraining.For(preset, lambda), 2, 2, 100, 100, 4),
        Experiments.Preset.Quick => new("quick", HyperNetTraining.For(preset, lambda), 2, 10, 500, 500, 20),
        Experiments.Preset.Paper => new("paper", HyperNetTraining.For(preset, lambda), 20, 200, 10_000, 5_000, 200),
        _ => new("default", HyperNetTraining.For(preset, lambda), 4, 200, 2_000, 500, 200),
    };

    /// <summary>Every net generated for the ensembles is also scored alone (the histogram).</summary>
    public int Nets => Ensembles * EnsembleSize;

    public string Describe() =>
        $"{Ensembles} ensembles × {EnsembleSize} generated nets (majority vote; mean ± sd over the {Ensembles} ensembles), each net also scored alone, "
        + $"on the first {TestImages:N0} test and {ValidationImages:N0} validation images (the paper: 20 × 200; it says validation, the reference code scores the 10,000 test images)";
}
