using System.Diagnostics;
using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting.Figures;
using Engine.Models.Hyper;
using Engine.Models.Hyper.Novelty;

namespace Engine.Experiments.HyperVae;

/// <summary>
/// hypervae/fig2/&lt;digit&gt;: novelty discovery (seed 000 Fig. 2, spec hypervae §10). HyperVAE and the
/// VAE train on MNIST without the held-out digit; Bayesian optimisation then searches their latent
/// spaces for the image most similar (cosine) to one exemplar of that digit — HyperVAE for T steps,
/// each moving u to the posterior mean of the last step's best image, the VAE once over z.
/// </summary>
public sealed class HyperVaeFig2(int digit) : IExperiment
{
    /// <summary>The metrics `report` shows per digit (the seed's figure has images only, no numbers).</summary>
    public static IReadOnlyList<string> Reported { get; } = ["hypervae_cosine", "vae_cosine", "nearest_training_cosine"];

    public ExperimentResult Run(RunContext context)
    {
        if (digit is < 0 or > 9)
        {
            throw new ExperimentException($"hypervae/fig2: the held-out digit must be 0…9, got {digit}.", ExitCodes.Usage);
        }

        var s = HyperVaeFig2Settings.For(context.Preset);
        var log = context.Log;
        var data = HyperVaeData.Load("mnist", context);
        var train = WithoutClass(data.Train, digit);
        var targetIndex = Array.IndexOf(data.Test.Labels, (byte)digit);
        var target = data.Test.Row(targetIndex).ToArray();
        var result = new ExperimentResult
        {
            Config = new
            {
                Digit = digit,
                Target = $"the first test image of digit {digit} (test index {targetIndex}, statically binarised)",
                Objective = "cosine similarity between the generated Bernoulli means (784 values) and the target",
                VaeBaseline = "one BO run over z of the VAE trained on the nine other digits",
                Settings = s,
                HyperVae = new HyperVaeOptions(),
            },
        };
        result.Data["mnist"] = data.Notes;
        log.Line($"digit {digit} held out: {train.Count} training images of nine digits; target = test image {targetIndex}");

        var rng = context.CreateRng();
        var hyper = HyperVaeModel.Create("hypervae", 10, rng.Fork(1));
        var vae = HyperVaeModel.Create("vae", 10, rng.Fork(2));
        var clock = Stopwatch.StartNew();
        result.History.AddRange(HyperVaeTraining.Train(hyper, train, s.Training, rng.Fork(3), log, "hypervae"));
        result.Add("hypervae_train_seconds", clock.Elapsed.TotalSeconds, "s", "HyperVAE training time");
        clock.Restart();
        HyperVaeTraining.Train(vae, train, s.Training, rng.Fork(4), log, "vae");
        result.Add("vae_train_seconds", clock.Elapsed.TotalSeconds, "s", "VAE training time");

        using var noGrad = Tape.NoGrad();
        var seed = rng.Fork(5).NextInt(1 << 30);
        clock.Restart();
        var steps = NoveltySearch.Run(hyper.NoveltyGenerator(), target, s.Search, seed,
            step => log.Line($"hypervae step {step.Step}/{s.Search.Steps}: cosine {step.Similarity:F4} after {step.Evaluations} evaluations ({ProgressLog.Duration(clock.Elapsed.TotalSeconds)})"));
        result.Add("hypervae_search_seconds", clock.Elapsed.TotalSeconds, "s", "HyperVAE novelty search time");
        clock.Restart();
        var baseline = NoveltySearch.Run(vae.NoveltyGenerator(), target, s.Search with { EvaluationsPerStep = s.VaeEvaluations }, seed + 1_000)[0];
        result.Add("vae_search_seconds", clock.Elapsed.TotalSeconds, "s", "VAE novelty search time");
        log.Line($"vae: cosine {baseline.Similarity:F4} after {baseline.Evaluations} evaluations");
        var (nearest, nearestCosine) = NearestTrainingImage(train, target);

        result.Add("hypervae_cosine", steps[^1].Similarity, "cosine", $"HyperVAE: cosine similarity of step {steps.Count}'s best image (final)");
        result.Add("vae_cosine", baseline.Similarity, "cosine", $"VAE: cosine similarity of the best image ({baseline.Evaluations} evaluations)");
        result.Add("nearest_training_cosine", nearestCosine, "cosine", "reference: the most similar image among the nine-digit training images");
        result.Add("hypervae_best_cosine", steps.Max(t => t.Similarity), "cosine", "HyperVAE: best cosine similarity over the steps");
        foreach (var step in steps)
        {
            result.Add($"hypervae_step{step.Step}_cosine", step.Similarity, "cosine", $"HyperVAE step {step.Step}: cosine similarity of the best image");
        }

        WriteFigures(context.OutDirectory, result, target, steps, baseline, train.Row(nearest).ToArray());
        result.Notes.Add($"Held-out digit {digit}: both models train on the other nine digits ({train.Count} images; {s.Training.Iterations} Adam iterations, lr {s.Training.LearningRate}; the seed trains 10,000).");
        result.Notes.Add($"HyperVAE: u_1 = μ(all-zero image), then {s.Search.Steps} steps of BO over z ∈ [−{s.Search.Bound}, {s.Search.Bound}]^10 with {s.Search.EvaluationsPerStep} evaluations each "
            + $"(joint (u, z) first step: {(s.Search.JointFirstStep ? "yes" : "no")}), u_(t+1) = μ(x_t*); VAE: one BO run over z with {s.VaeEvaluations} evaluations.");
        result.Notes.Add($"BO: GP with Matérn-5/2 ARD on [0, 1]^10, constant mean, fitted noise; hyper-parameters refitted every {s.Search.Optimizer.RefitEvery} evaluations; "
            + $"EI from {s.Search.Optimizer.Candidates} random candidates refined by bounded BFGS from the best {s.Search.Optimizer.LocalStarts}; {s.Search.Optimizer.InitialPoints} uniform initial points.");
        result.Notes.Add($"novelty.png, left to right: the target, HyperVAE's best image of steps 1…{steps.Count}, the VAE's best image, the nearest training image (cosine {nearestCosine:F3}).");
        return result;
    }

    /// <summary>The images whose label is not <paramref name="heldOut"/>.</summary>
    internal static ImageSet WithoutClass(ImageSet images, int heldOut)
    {
        var keep = Enumerable.Range(0, images.Count).Where(i => images.Labels[i] != heldOut).ToArray();
        var pixels = new float[keep.Length * images.Dim];
        for (var k = 0; k < keep.Length; k++)
        {
            images.Row(keep[k]).CopyTo(pixels.AsSpan(k * images.Dim, images.Dim));
        }

        return new ImageSet(pixels, keep.Select(i => images.Labels[i]).ToArray(), images.Dim);
    }

    private static (int Index, double Cosine) NearestTrainingImage(ImageSet train, float[] target) =>
        Enumerable.Range(0, train.Count).Select(i => (i, CosineSimilarity.Of(train.Row(i), target))).MaxBy(p => p.Item2);

    private static void WriteFigures(string folder, ExperimentResult result, float[] target, IReadOnlyList<NoveltyStep> steps, NoveltyStep baseline, float[] nearest)
    {
        float[][] row = [target, .. steps.Select(t => t.Image), baseline.Image, nearest];
        ImageGrid.Write(Path.Combine(folder, "novelty.png"), row.SelectMany(x => x).ToArray(), row.Length, 28, 28, columns: row.Length);
        result.Files.Add("novelty.png");

        // Best-so-far cosine against the evaluation count, HyperVAE's steps laid end to end.
        var offset = 0;
        var series = new List<Series>();
        foreach (var step in steps)
        {
            series.Add(new Series($"HyperVAE step {step.Step}", Enumerable.Range(offset + 1, step.Evaluations).Select(i => (double)i).ToArray(), step.BestSoFar));
            offset += step.Evaluations;
        }

        series.Add(new Series("VAE", Enumerable.Range(1, baseline.Evaluations).Select(i => (double)i).ToArray(), baseline.BestSoFar));
        LineChart.Write(Path.Combine(folder, "search.svg"), series, new ChartOptions("Novelty search: best cosine similarity so far", "evaluation", "cosine similarity"));
        result.Files.Add("search.svg");
    }
}
