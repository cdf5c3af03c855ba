namespace Engine.Experiments.Iwae;

/// <summary>
/// Settings of an iwae/table row per preset. paper = the IWAE protocol (batch 20, 3280 epochs in 8
/// passes with decaying lr, Adam β1 0.99, ε 1e-4, v₀ = 1, IS-NLL S = 5000 on all 10,000 test images);
/// default = what fits ~45 minutes a row here (stated in results.md); quick = a smoke-sized run.
/// </summary>
public sealed record IwaeTableSettings(
    string Preset,
    int Epochs,
    int BatchSize,
    double LearningRate,
    double Beta1,
    double AdamEps,
    double InitialSecondMoment,
    bool PaperSchedule,
    int TrainImages,
    int TestImages,
    int IsNllSamples,
    int ActiveUnitImages = 500,
    int ActiveUnitSamples = 10,
    int ValidationImages = 400,
    ulong TestBinarizationSeed = 123)
{
    public static IwaeTableSettings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 1, 100, 1e-3, 0.9, 1e-8, 0, false, 200, 20, 10),
        Experiments.Preset.Quick => new("quick", 3, 100, 1e-3, 0.9, 1e-8, 0, false, 5_000, 500, 100),
        Experiments.Preset.Paper => new("paper", 3280, 20, 1e-3, 0.99, 1e-4, 1, true, 59_600, 10_000, 5000),
        _ => new("default", 20, 100, 1e-3, 0.9, 1e-8, 0, false, 59_600, 2_000, 1000),
    };

    /// <summary>The IWAE schedule: pass i (1…8) runs 3^(i−1) epochs at lr 1e-3·10^(−(i−1)/7).</summary>
    public double LearningRateAt(int epoch)
    {
        if (!PaperSchedule)
        {
            return LearningRate;
        }

        var done = 0;
        for (var pass = 1; pass <= 8; pass++)
        {
            done += (int)Math.Pow(3, pass - 1);
            if (epoch <= done)
            {
                return Math.Round(1e-3 * Math.Pow(10, -(pass - 1) / 7.0) * 1e4, 1) / 1e4;
            }
        }

        return LearningRate * Math.Pow(10, -1);
    }
}
