namespace Engine.Experiments.HyperNet;

/// <summary>
/// How the MNIST hypernetwork is trained (spec hypernetwork §4.3): Adam at lr 3e-4 × 0.99998ᵗ. paper =
/// the reference (13,000 steps, 32 nets × 32 images per step); default and quick train fewer steps on
/// fewer images (stated in every results.md). NOTE: with fresh noise every step the generated nets stay
/// near chance for the first several hundred steps — batch norm in the extractor forces O(1) variation of
/// the codes across z, so at the start every z gives an unrelated net and their gradients do not add up —
/// so the quick preset only checks that the pipeline runs (measured: a fixed z batch fits its images in
/// ~50 steps, fresh z do not leave chance in 300–400 steps at lr 3e-4 or 1e-3).
/// </summary>
public sealed record HyperNetTraining(int Steps, double Lambda, int NoiseBatch, int ImagesPerNet, double LearningRate, double LearningRateDecay)
{
    public static HyperNetTraining For(Preset preset, double lambda = 1e3) => preset switch
    {
        Preset.Smoke => new(2, lambda, 4, 8, 3e-3, 0.99998),
        Preset.Quick => new(300, lambda, 8, 8, 3e-4, 0.99998),
        Preset.Paper => new(13_000, lambda, 32, 32, 3e-4, 0.99998),
        _ => new(1_500, lambda, 32, 32, 3e-4, 0.99998),
    };

    public string Describe() =>
        $"{Steps} steps (the paper: 13,000), λ = {Lambda:G3}, {NoiseBatch} nets × {ImagesPerNet} images per step, Adam lr {LearningRate:G3} × {LearningRateDecay}ᵗ (the paper: 3e-4 × 0.99998ᵗ)";
}
