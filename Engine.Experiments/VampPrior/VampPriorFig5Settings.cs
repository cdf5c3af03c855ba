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
    /// quick: five K's, each the quick vampprior/table1 training (4 epochs on 5,000 images, warm-up 2;
    /// S = 100 on 500 test images), so K = 100 reproduces that row's number; about 2 min on this
    /// 2-core machine alone (one quick row takes 24 s), 7–8 min when it is shared by ~20 processes. default: eight K's, each 20 epochs on 10,000 images (warm-up 10), S = 500 on
    /// 1,000 test images.
    /// </summary>
    public static VampPriorFig5Settings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", [1, 5], VampPriorTable1Settings.For(preset)),
        Experiments.Preset.Quick => new("quick", [1, 10, 50, 100, 250], VampPriorTable1Settings.For(preset)),
        Experiments.Preset.Paper => new("paper", [1, 10, 50, 100, 250, 500, 750, 1000, 1500],
            new VampPriorTable1Settings("paper", Epochs: 100, WarmupEpochs: 100, Patience: 0, TrainImages: int.MaxValue, TestImages: int.MaxValue, IsNllSamples: 5000)),
        _ => new("default", [1, 10, 50, 100, 250, 500, 750, 1000],
            new VampPriorTable1Settings("default", Epochs: 20, WarmupEpochs: 10, Patience: 0, TrainImages: 10_000, TestImages: 1_000, IsNllSamples: 500)),
    };

    /// <summary>The training and evaluation of one K.</summary>
    public VampPriorTable1Settings ForComponents(int k) => Row with { Components = k };
}
