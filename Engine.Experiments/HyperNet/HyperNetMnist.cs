using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting.Figures;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// hypernet/mnist/lambda1e3 and …/lambda1e5 (Deutsch et al., seed 004, spec hypernetwork §4.4): trains
/// the MNIST hypernetwork with the given λ, then scores every generated net alone (accuracy histogram,
/// Fig. 2) and in majority-vote ensembles (beside the paper's 99.14 %), on the validation and the test
/// set, and plots principal components of the gauge-fixed generated weights (Fig. 6).
/// </summary>
public sealed class HyperNetMnist(double lambda) : IExperiment
{
    public const double PaperEnsembleAccuracy = 99.14;

    public ExperimentResult Run(RunContext context)
    {
        var s = HyperNetMnistSettings.For(context.Preset, lambda);
        var log = context.Log;
        var result = new ExperimentResult { Config = new { Settings = s, Model = new HyperNetOptions(Lambda: lambda) } };
        var data = MnistSplits.Load(context, result);
        var rng = context.CreateRng();
        var model = HyperNetTrainer.Train(s.Training, data.Train, rng, log, result);

        var validation = data.Validation.Take(s.ValidationImages);
        var test = data.Test.Take(s.TestImages);
        var onValidation = new int[s.Nets][];
        var onTest = new int[s.Nets][];
        var weights = new List<double[]>();
        GeneratedNets.ForEach(model, s.Nets, rng.Fork(3), (k, net) =>
        {
            onValidation[k] = GeneratedNets.Predict(net, validation);
            onTest[k] = GeneratedNets.Predict(net, test);
            if (k < s.PcaNets)
            {
                weights.Add(net.Flatten().ToDoubleArray());
            }
        });

        foreach (var (split, predictions, images) in new[] { ("validation", onValidation, validation), ("test", onTest, test) })
        {
            Score(split, predictions, images, s, result, log);
        }

        var histogram = $"accuracy_histogram_lambda{lambda:0e0}.svg";
        Histogram.Write(Path.Combine(context.OutDirectory, histogram), onValidation.Select(p => 100 * GeneratedNets.Accuracy(p, validation.Labels)), 20,
            new ChartOptions($"Validation accuracy of {s.Nets} generated nets, λ = {lambda:G3}", "accuracy (%)", "nets"));
        result.Files.Add(histogram);
        result.Files.AddRange(WeightScatter.Write(context.OutDirectory, weights, result));
        result.Notes.Add($"{s.Preset} preset: {s.Training.Describe()}; {s.Describe()}. Batch norm in the generator uses its zero-debiased moving averages, as the reference.");
        return result;
    }

    private static void Score(string split, int[][] predictions, ImageSet images, HyperNetMnistSettings s, ExperimentResult result, ProgressLog log)
    {
        var accuracies = predictions.Select(p => 100 * GeneratedNets.Accuracy(p, images.Labels)).ToArray();
        var mean = accuracies.Average();
        var std = Math.Sqrt(accuracies.Select(a => (a - mean) * (a - mean)).Average());
        var ensembles = Enumerable.Range(0, s.Ensembles)
            .Select(e => 100 * GeneratedNets.Accuracy(GeneratedNets.MajorityVote(predictions.Skip(e * s.EnsembleSize).Take(s.EnsembleSize).ToArray()), images.Labels))
            .ToArray();
        var ensembleMean = ensembles.Average();
        // sample standard deviation over the ensembles (they are the repeats)
        var ensembleStd = ensembles.Length < 2 ? 0 : Math.Sqrt(ensembles.Sum(a => (a - ensembleMean) * (a - ensembleMean)) / (ensembles.Length - 1));
        result.Add($"{split}_net_accuracy_mean", mean, "%", $"mean {split} accuracy of {accuracies.Length} generated nets");
        result.Add($"{split}_net_accuracy_std", std, "%", "standard deviation across nets");
        result.Add($"{split}_net_accuracy_min", accuracies.Min(), "%", "worst generated net");
        result.Add($"{split}_net_accuracy_max", accuracies.Max(), "%", "best generated net");
        result.Add($"{split}_ensemble_accuracy", ensembleMean, "%", $"majority vote of {s.EnsembleSize} nets, mean of {s.Ensembles} ensembles; paper {PaperEnsembleAccuracy} %");
        result.Add($"{split}_ensemble_accuracy_std", ensembleStd, "%", $"sample standard deviation over the {s.Ensembles} ensembles");
        result.Add($"{split}_ensemble_gain", ensembleMean - mean, "points", "mean ensemble accuracy minus mean single-net accuracy");
        result.Add($"{split}_ensemble_beats_mean_net", ensembleMean > mean ? 1 : 0, "bool", "1 if the mean ensemble is more accurate than the mean single net (the paper's claim)");
        log.Line($"{split}: generated nets {mean:F2} ± {std:F2} % (min {accuracies.Min():F2}, max {accuracies.Max():F2}); {s.Ensembles} ensembles of {s.EnsembleSize}: "
            + $"{ensembleMean:F2} ± {ensembleStd:F2} % (paper {PaperEnsembleAccuracy} %), {(ensembleMean > mean ? "beats" : "does not beat")} the mean net by {ensembleMean - mean:F2} points");
    }
}
