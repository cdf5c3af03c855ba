using Engine.Core;
using Engine.Experiments.Reporting.Figures;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// hypernet/adversarial (spec hypernetwork §4.4, Fig. 8): targeted FGSM against one generated net. For each
/// test image (in order) a fresh net θ; images it misclassifies are skipped; target y' = (y + U{1..9}) mod 10;
/// x_ε = x + ε·sign(∂p(y'|x; θ)/∂x) for ε = k/255, k = 0, 2, …, 62 (no clipping, as the reference). The
/// smallest ε that fools (prediction ≠ y) or hits the target (prediction = y') is recorded for θ and for one
/// fresh ensemble (majority vote) scored on the same x_ε; the figure is the CDF over images vs ε.
/// </summary>
public sealed class HyperNetAdversarial : IExperiment
{
    private static readonly double[] Epsilons = [.. Enumerable.Range(0, 32).Select(i => 2.0 * i / 255)];

    public ExperimentResult Run(RunContext context)
    {
        var (images, ensembleSize) = context.Preset switch
        {
            Preset.Smoke => (3, 3),
            Preset.Quick => (30, 10),
            Preset.Paper => (1_000, 100),
            _ => (200, 100),
        };
        var training = HyperNetTraining.For(context.Preset);
        var result = new ExperimentResult { Config = new { Training = training, Images = images, EnsembleSize = ensembleSize, Epsilons } };
        var data = MnistSplits.Load(context, result);
        var rng = context.CreateRng();
        var model = HyperNetTrainer.Train(training, data.Train, rng, context.Log, result);
        var ensemble = new List<TargetWeights>();
        using var keep = new TensorScope();
        using (Tape.NoGrad())
        {
            var all = model.Generate(model.SampleNoise(ensembleSize, rng.Fork(6)));
            ensemble.AddRange(Enumerable.Range(0, ensembleSize).Select(all.Single));
        }

        var draws = rng.Fork(7);
        var minimal = new List<(int? SingleFool, int? SingleTarget, int? EnsembleFool, int? EnsembleTarget)>();
        for (var i = 0; i < data.Test.Count && minimal.Count < images; i++)
        {
            using var scope = new TensorScope();
            TargetWeights net;
            using (Tape.NoGrad())
            {
                net = model.Generate(model.SampleNoise(1, draws));
            }

            var x = data.Test.Row(i).ToArray();
            var y = data.Test.Labels[i];
            var target = (y + 1 + draws.NextInt(9)) % 10;
            var (prediction, direction) = TargetGradientSign(net, x, target);
            if (prediction != y)
            {
                continue;
            }

            var perturbed = new float[Epsilons.Length * 784];
            for (var e = 0; e < Epsilons.Length; e++)
            {
                for (var p = 0; p < 784; p++)
                {
                    perturbed[e * 784 + p] = (float)(x[p] + Epsilons[e] * direction[p]);
                }
            }

            var batch = new Data.ImageSet(perturbed, new byte[Epsilons.Length], 784);
            var single = GeneratedNets.Predict(net, batch);
            var voted = GeneratedNets.MajorityVote([.. ensemble.Select(member => GeneratedNets.Predict(member, batch))]);
            minimal.Add((First(single, c => c != y), First(single, c => c == target), First(voted, c => c != y), First(voted, c => c == target)));
        }

        double Cdf(Func<(int?, int?, int?, int?), int?> pick, int k) => 100.0 * minimal.Count(m => pick(m) is int first && first <= k) / Math.Max(1, minimal.Count);
        var curves = new (string Name, Func<(int?, int?, int?, int?), int?> Pick)[]
        {
            ("single net, fooled", m => m.Item1), ("single net, targeted", m => m.Item2),
            ($"ensemble of {ensembleSize}, fooled", m => m.Item3), ($"ensemble of {ensembleSize}, targeted", m => m.Item4),
        };
        var series = curves.Select(c => new Series(c.Name, Epsilons, [.. Enumerable.Range(0, Epsilons.Length).Select(k => Cdf(c.Pick, k))])).ToList();
        LineChart.Write(Path.Combine(context.OutDirectory, "fgsm_success.svg"), series,
            new ChartOptions($"Targeted FGSM: images attacked successfully by ε ({minimal.Count} images)", "ε", "success (%)"));
        result.Files.Add("fgsm_success.svg");
        foreach (var (name, key) in new[] { ("single_fooled", 0), ("single_targeted", 1), ("ensemble_fooled", 2), ("ensemble_targeted", 3) })
        {
            result.Add($"{name}_at_0.1", series[key].Y[Array.FindLastIndex(Epsilons, e => e <= 0.1 + 1e-12)], "%", $"{series[key].Name}: share of images with a successful ε ≤ 0.1");
            result.Add($"{name}_at_max", series[key].Y[^1], "%", $"{series[key].Name}: share successful by ε = {Epsilons[^1]:F3}");
        }

        result.Add("attacked_images", minimal.Count, "", "test images the single net classified correctly (the others are skipped)");
        result.Notes.Add($"{training.Describe()}; ε = k/255, k = 0, 2, …, 62 (smallest successful ε, not the reference's second-smallest); one ensemble of {ensembleSize} for all images; the paper's Fig. 8 is graphical only.");
        context.Log.Line($"adversarial: {minimal.Count} images; fooled by ε ≤ 0.1: single {result.Value("single_fooled_at_0.1"):F1} %, ensemble {result.Value("ensemble_fooled_at_0.1"):F1} %");
        return result;
    }

    /// <summary>The net's prediction for x and sign(∂p(target|x)/∂x).</summary>
    private static (int Prediction, float[] Sign) TargetGradientSign(TargetWeights net, float[] pixels, int target)
    {
        using var tape = new Tape();
        var x = Tensor.FromArray(pixels, 1, 1, 784);
        x.RequiresGrad = true;
        var logits = Ops.Reshape(MnistTargetNetwork.Forward(net, x), 1, 10);
        var probability = Ops.Exp(Ops.Sub(Ops.Slice(logits, 1, target, 1), Ops.LogSumExp(logits, 1, keepDims: true)));
        tape.Backward(Ops.Sum(probability));
        var prediction = GeneratedNets.ArgMaxRows(logits.ToFloatArray(), 10)[0];
        return (prediction, [.. x.Grad!.ToFloatArray().Select(g => (float)Math.Sign(g))]);
    }

    private static int? First(int[] predictions, Func<int, bool> success)
    {
        var k = Array.FindIndex(predictions, c => success(c));
        return k < 0 ? null : k;
    }
}
