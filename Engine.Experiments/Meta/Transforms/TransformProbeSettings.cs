namespace Engine.Experiments.Meta.Transforms;

/// <summary>
/// Settings of the transformed-MNIST MetaVAE rows (metavae/fig7, metavae/table2, metavae/table1) per
/// preset (spec metavae §2–3, §5, §8). paper = the MI repo's 100 epochs over all 60,000 images per
/// transformation, batch 100, sets of 10, K = 500 pseudo-sets, probes on every image.
/// default trains 5 epochs over 10,000 images per value (500 steps per model): a step is GEMM-bound
/// (≈53 GFLOP for MetaVAE, ≈70 for VHE+VP, ≈60 for VHE at batch 100 × sets of 10 × 10 datasets),
/// and on the shared 2-core machine one MetaVAE epoch measured 116–136 s, so 10 epochs made a
/// three-model Table 2 row ≈75 min; 5 epochs make it ≈40 min (issue 8: ≤ ~45 min per row).
/// </summary>
/// <param name="TrainImages">MNIST training images transformed into each meta-training dataset.</param>
/// <param name="ValidationImages">Test images per meta-training dataset scored after each epoch (the best epoch is kept).</param>
/// <param name="ProbeTrainImages">Training images of each held-out value embedded to fit the logistic regression.</param>
/// <param name="ProbeTestImages">Test images of each held-out value embedded to score it.</param>
/// <param name="DistanceImages">Test images per value in Table 1's distances.</param>
/// <param name="Hidden">Hidden width of every network (400 in the spec; smaller only in the hidden smoke preset).</param>
public sealed record TransformProbeSettings(
    string Preset,
    int TrainImages,
    int ValidationImages,
    int Epochs,
    int BatchSize,
    int SetSize,
    double LearningRate,
    int ProbeTrainImages,
    int ProbeTestImages,
    int DistanceImages,
    int VampPriorComponents,
    int Latents = 40,
    int Hidden = 400,
    int ContextLatents = 300,
    int DecoderWide = 4096)
{
    public static TransformProbeSettings For(Preset preset) => preset switch
    {
        Experiments.Preset.Smoke => new("smoke", 60, 20, 1, 10, 4, 2e-4, 60, 40, 8, 4, Latents: 4, Hidden: 16, ContextLatents: 8, DecoderWide: 32),
        Experiments.Preset.Quick => new("quick", 400, 100, 2, 20, 10, 1e-3, 400, 200, 100, 50),
        Experiments.Preset.Paper => new("paper", 60_000, 10_000, 100, 100, 10, 2e-4, 60_000, 10_000, 10_000, 500),
        _ => new("default", 10_000, 1_000, 5, 100, 10, 2e-4, 5_000, 2_000, 1_000, 500),
    };

    public string Describe() =>
        $"{Preset} preset: {Epochs} epoch(s) over {TrainImages:N0} transformed MNIST training images per meta-training value "
        + $"(batch {BatchSize}, a separate set of {SetSize} per image, Adam lr {LearningRate}), best epoch by the validation loss on "
        + $"{ValidationImages:N0} test images per meta-training value; logistic-regression probe (multinomial L2, C = 1, L-BFGS ≤ 1000 iterations) "
        + $"fit on {ProbeTrainImages:N0} training and scored on {ProbeTestImages:N0} test images of each held-out value; VampPrior on c with K = {VampPriorComponents}."
        + (Preset == "default" ? $" The default preset trains {Epochs} epochs ({Epochs * (TrainImages / BatchSize):N0} steps per model) so that a three-model row fits in about 45 minutes on 2 CPU cores; the paper trains 100 epochs over 60,000 images." : "");
}
