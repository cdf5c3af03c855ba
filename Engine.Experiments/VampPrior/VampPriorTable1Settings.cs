namespace Engine.Experiments.VampPrior;

/// <summary>
/// Settings of a vampprior/table1 row per preset. paper = seed 002 (1,000 epochs, no early stopping,
/// warm-up 100 epochs, IS-NLL S = 5000 on the whole test set); default = what fits about 45 minutes
/// a row on this machine; quick = a few epochs on a subset.
/// </summary>
public sealed record VampPriorTable1Settings(
    string Preset,
    int Epochs,
    int WarmupEpochs,
    int Patience,
    int TrainImages,
    int TestImages,
    int IsNllSamples,
    int Components = 500,
    int BatchSize = 100,
    double LearningRate = 5e-4,
    bool NormalizeGrad = true,
    bool Gated = true,
    int Hidden = 300,
    int Latents = 40,
    string KlMode = "sampled for mixture priors, analytic for the standard prior (reported KL: analytic when it exists, else the sampled average)")
{
    public static VampPriorTable1Settings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 1, 0, 0, 300, 50, 10, Components: 20),
        Experiments.Preset.Quick => new("quick", 4, 2, 0, 5_000, 500, 100, Components: 100),
        Experiments.Preset.Paper => new("paper", 1000, 100, 0, int.MaxValue, int.MaxValue, 5000),
        _ => new("default", 40, 10, 10, int.MaxValue, 2_000, 500),
    };
}
