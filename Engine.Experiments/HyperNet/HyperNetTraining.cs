namespace Engine.Experiments.HyperNet;

/// <summary>
/// How the MNIST hypernetwork is trained (spec hypernetwork §4.3): Adam at lr 3e-4 × 0.99998ᵗ. paper =
/// the reference (13,000 steps, 32 nets × 32 images per step); default and quick train fewer steps on
/// fewer images (stated in every results.md). The noise batch matters more than the step count: batch
/// norm normalises over the noise samples, and with 8 nets × 8 images the nets stayed near chance
/// after 300 steps (test 12.6 ± 4.7 %), while 32 nets × 8 images reach 40.9 ± 6.6 % after 200 steps
/// (ensembles of 10: 58.7 %) in the same ~2 minutes — hence quick's 32 × 8. An interrupted default
/// run (32 × 32) logged batch accuracy 61 % at step 150 of 1,500. default keeps the paper's 32 nets
/// but 16 images each: a step then costs about half (~0.7–0.9 s on the loaded 2-core machine against
/// ~1.2–1.8 s at 32 × 32), so 1,500 steps plus the 200-net ensembles fit in about 45 minutes.
/// </summary>
public sealed record HyperNetTraining(int Steps, double Lambda, int NoiseBatch, int ImagesPerNet, double LearningRate, double LearningRateDecay)
{
    public static HyperNetTraining For(Preset preset, double lambda = 1e3) => preset switch
    {
        Preset.Smoke => new(2, lambda, 4, 8, 3e-3, 0.99998),
        Preset.Quick => new(200, lambda, 32, 8, 3e-4, 0.99998),
        Preset.Paper => new(13_000, lambda, 32, 32, 3e-4, 0.99998),
        _ => new(1_500, lambda, 32, 16, 3e-4, 0.99998),
    };

    public string Describe() =>
        $"{Steps} steps (the paper: 13,000), λ = {Lambda:G3}, {NoiseBatch} nets × {ImagesPerNet} images per step, Adam lr {LearningRate:G3} × {LearningRateDecay}ᵗ (the paper: 3e-4 × 0.99998ᵗ)";
}
