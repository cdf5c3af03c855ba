namespace Engine.Experiments.Meta.Demos;

/// <summary>
/// Settings of metavae/mechanics per preset (spec metavae §9.2). paper = the reference's 10 epochs
/// at lr 2e-4 (160 steps); default trains longer at a larger rate, which the reference's schedule
/// needs to get near its reported MSE on this input scaling.
/// </summary>
public sealed record InclinedPlaneSettings(
    string Preset,
    int Epochs,
    int BatchSize,
    int SetSize,
    double LearningRate,
    int TrainDraws,
    int ValidationDraws,
    int TestDraws)
{
    public static InclinedPlaneSettings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 1, 16, 5, 1e-3, 64, 32, 8),
        Experiments.Preset.Quick => new("quick", 15, 64, 20, 3e-3, 1000, 200, 100),
        Experiments.Preset.Paper => new("paper", 10, 64, 20, 2e-4, 1000, 1000, 1000),
        _ => new("default", 150, 64, 20, 1e-3, 1000, 1000, 1000),
    };
}
