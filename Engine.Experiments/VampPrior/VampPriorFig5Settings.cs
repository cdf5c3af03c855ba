namespace Engine.Experiments.VampPrior;

/// <summary>
/// Settings of vampprior/fig5 per preset: the numbers of pseudo-inputs K swept, and the training and
/// evaluation of each K's VampPrior VAE (a <see cref="VampPriorTable1Settings"/> whose Components
/// is replaced by K). paper = seed 002's Fig. 5: 100 epochs on all of static MNIST for each
/// K ∈ {1, 10, 50, 100, 250, 500, 750, 1000, 1500}, warm-up 100 (the reference's default, our
/// choice: the seed does not say), IS with S = 5000 on the whole test set.
/// </summary>
public sealed record VampPriorFig5Settings(string Preset, IReadOnlyList<int> Components, VampPriorTable1Settings Row)
{
    /// <summary>
    /// quick: five K's, each 3 epochs on 3,000 images (warm-up 2), S = 100 on 500 test images
    /// (about 7 min on this 2-core machine when shared by ~20 processes, about 1½ min alone). default: eight K's, each 20 epochs on 10,000 images (warm-up 10), S = 500 on
    /// 1,000 test images.
    /// </summary>
    public static VampPriorFig5Settings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", [1, 5], VampPriorTable1Settings.For(preset)),
        Experiments.Preset.Quick => new("quick", [1, 10, 50, 100, 250], VampPriorTable1Settings.For(preset) with { Epochs = 3, TrainImages = 3_000 }),
        Experiments.Preset.Paper => new("paper", [1, 10, 50, 100, 250, 500, 750, 1000, 1500],
            new VampPriorTable1Settings("paper", Epochs: 100, WarmupEpochs: 100, Patience: 0, TrainImages: int.MaxValue, TestImages: int.MaxValue, IsNllSamples: 5000)),
        _ => new("default", [1, 10, 50, 100, 250, 500, 750, 1000],
            new VampPriorTable1Settings("default", Epochs: 20, WarmupEpochs: 10, Patience: 0, TrainImages: 10_000, TestImages: 1_000, IsNllSamples: 500)),
    };

    /// <summary>The training and evaluation of one K.</summary>
    public VampPriorTable1Settings ForComponents(int k) => Row with { Components = k };
}
