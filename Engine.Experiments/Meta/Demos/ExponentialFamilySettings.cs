namespace Engine.Experiments.Meta.Demos;

/// <summary>
/// Settings of metavae/expfam per preset (spec metavae §9.3): 30 datasets per family of
/// <see cref="PoolSize"/> draws (80 % train), sets of 20 draws plus 10 context sets, batch 1 per
/// dataset, Adam lr 2e-4; summary width 64 for one family, 128 for the 90-dataset model.
/// </summary>
public sealed record ExponentialFamilySettings(
    string Preset,
    int Steps,
    int DatasetsPerFamily,
    int PoolSize,
    int SetSize,
    int ContextSets,
    double LearningRate,
    int HiddenOne,
    int HiddenMany,
    int SweepPoints,
    int Repeats,
    int ProbeDistributions)
{
    public static ExponentialFamilySettings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 10, 3, 200, 20, 3, 1e-3, 8, 8, 5, 4, 6),
        Experiments.Preset.Quick => new("quick", 600, 30, 2_000, 20, 10, 2e-3, 64, 128, 21, 20, 50),
        Experiments.Preset.Paper => new("paper", 10_000, 30, 10_000, 20, 10, 2e-4, 64, 128, 41, 100, 200),
        _ => new("default", 10_000, 30, 10_000, 20, 10, 1e-3, 64, 128, 41, 50, 100),
    };
}
