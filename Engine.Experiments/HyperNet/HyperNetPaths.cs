using Engine.Core;
using Engine.Experiments.Reporting.Figures;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// hypernet/paths (spec hypernetwork §4.4, Fig. 7): for random pairs (z₁, z₂) and t ∈ [0, 1], test accuracy
/// of the interpolated path G(t z₁ + (1 − t) z₂) and of the direct path t G(z₁) + (1 − t) G(z₂) in
/// gauge-fixed weight space. Expected: the interpolated path stays accurate, the direct one dips.
/// </summary>
public sealed class HyperNetPaths : IExperiment
{
    public ExperimentResult Run(RunContext context)
    {
        var (pairs, points, images) = context.Preset switch
        {
            Preset.Smoke => (1, 3, 100),
            Preset.Quick => (3, 11, 500),
            Preset.Paper => (10, 40, 10_000),
            _ => (10, 21, 2_000),
        };
        var training = HyperNetTraining.For(context.Preset);
        var result = new ExperimentResult { Config = new { Training = training, Pairs = pairs, Points = points, Images = images } };
        var data = MnistSplits.Load(context, result);
        var rng = context.CreateRng();
        var model = HyperNetTrainer.Train(training, data.Train, rng, context.Log, result);
        var test = data.Test.Take(images);
        var t = Enumerable.Range(0, points).Select(i => (double)i / (points - 1)).ToArray();
        var interpolated = new double[points];
        var direct = new double[points];
        var noise = rng.Fork(4);
        using (Tape.NoGrad())
        {
            for (var p = 0; p < pairs; p++)
            {
                using var scope = new TensorScope();
                var z1 = model.SampleNoise(1, noise);
                var z2 = model.SampleNoise(1, noise);
                var (g1, g2) = (model.Generate(z1), model.Generate(z2));
                for (var i = 0; i < points; i++)
                {
                    using var inner = new TensorScope();
                    var mixed = model.Generate(Ops.Add(Ops.Affine(z1, t[i]), Ops.Affine(z2, 1 - t[i])));
                    interpolated[i] += 100 * GeneratedNets.Accuracy(GeneratedNets.Predict(mixed, test), test.Labels) / pairs;
                    var line = TargetWeights.Combine([(g1, t[i]), (g2, 1 - t[i])]);
                    direct[i] += 100 * GeneratedNets.Accuracy(GeneratedNets.Predict(line, test), test.Labels) / pairs;
                }
            }
        }

        result.Add("interpolated_min_accuracy", interpolated.Min(), "%", $"lowest mean test accuracy along the interpolated path ({pairs} pairs)");
        result.Add("direct_min_accuracy", direct.Min(), "%", "lowest mean test accuracy along the direct path; the paper: dips in the middle");
        result.Add("endpoint_accuracy", (direct[0] + direct[^1]) / 2, "%", "mean accuracy of the path ends (generated nets)");
        LineChart.Write(Path.Combine(context.OutDirectory, "paths.svg"),
            [new Series("interpolated G(t z₁ + (1−t) z₂)", t, interpolated), new Series("direct t G(z₁) + (1−t) G(z₂)", t, direct)],
            new ChartOptions($"Test accuracy along paths between generated nets (mean of {pairs} pairs)", "t", "accuracy (%)"));
        result.Files.Add("paths.svg");
        result.Notes.Add($"{training.Describe()}; {pairs} pairs × {points} points on the first {test.Count} test images (the paper: 10 pairs × 40 points).");
        context.Log.Line($"paths: interpolated min {interpolated.Min():F2} %, direct min {direct.Min():F2} %, ends {(direct[0] + direct[^1]) / 2:F2} %");
        return result;
    }
}
