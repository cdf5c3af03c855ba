using System.Globalization;
using System.Text;
using Engine.Core.Serialization;
using Engine.Experiments.Reporting.Figures;
using Engine.Experiments.Training;

namespace Engine.Experiments.VampPrior;

/// <summary>
/// vampprior/fig5: seed 002's Fig. 5, test log-likelihood of the one-level MLP VAE with a VampPrior
/// against the number of pseudo-inputs K on static MNIST (the seed: "around 500 pseudo-inputs
/// achieves the best performance"; K = 1000 trains about 3× and K = 1500 about 5× as long as 500).
/// One training per K, each in its own folder k&lt;K&gt;/ with its checkpoint and train.csv, all from
/// the same seed (the same encoder/decoder init and data order), then fig5.svg and fig5.csv.
/// </summary>
public sealed class VampPriorFig5 : IExperiment
{
    public const string Dataset = "static-mnist";
    public const string ChartFile = "fig5.svg";
    public const string CsvFile = "fig5.csv";

    /// <summary>What seed 002 says about Fig. 5 (it prints no per-K numbers).</summary>
    public static IReadOnlyList<PaperValue> PaperValues { get; } =
    [
        new("best_k", 500, "seed 002 §3 / Fig. 5: \"around 500 pseudo-inputs achieves the best performance\" (100 epochs; no per-K numbers printed)"),
        new("train_time_ratio_k1000", 3, "seed 002 §3: K = 1000 takes about 3× as long to train as K = 500"),
        new("train_time_ratio_k1500", 5, "seed 002 §3: K = 1500 takes about 5× as long to train as K = 500"),
    ];

    public ExperimentResult Run(RunContext context)
    {
        var s = VampPriorFig5Settings.For(context.Preset);
        var log = context.Log;
        var data = Table1Data.Load(Dataset, context);
        var result = new ExperimentResult { Config = new { Settings = s, Dataset, Prior = "vampprior", Likelihood = data.Likelihood.Name } };
        result.Data[Dataset] = data.Notes;
        var train = data.Train.AsSpan(0, Math.Min(data.TrainCount, s.Row.TrainImages) * data.Dim).ToArray();
        var points = new List<Point>();
        foreach (var k in s.Components)
        {
            points.Add(RunOne(context, data, train, s.ForComponents(k), result));
        }

        WriteFigure(context.OutDirectory, points, s);
        result.Files.AddRange([ChartFile, CsvFile]);
        foreach (var p in points)
        {
            result.Add($"test_log_likelihood_k{p.K}", p.LogLikelihood, "nats", $"K = {p.K}: test LL (IS, S={s.Row.IsNllSamples}, {p.Images} images)");
        }

        foreach (var p in points)
        {
            result.Add($"test_elbo_k{p.K}", p.Elbo, "nats", $"K = {p.K}: test ELBO (one sample)");
        }

        var best = points.MaxBy(p => p.LogLikelihood)!;
        result.Add("best_k", best.K, "pseudo-inputs", $"K with the highest test LL ({best.LogLikelihood:F2}) among {string.Join(", ", s.Components)}");
        var reference = points.FirstOrDefault(p => p.K == 500);
        foreach (var p in points)
        {
            result.Add($"train_seconds_k{p.K}", p.TrainSeconds, "s", $"K = {p.K}: training time");
            if (reference is not null && p.K > 500)
            {
                result.Add($"train_time_ratio_k{p.K}", p.TrainSeconds / reference.TrainSeconds, "×", $"K = {p.K}: training time / K = 500's");
            }
        }

        log.Line($"vampprior/fig5: test LL by K: {string.Join(", ", points.Select(p => $"{p.K}: {p.LogLikelihood:F2}"))}; best K = {best.K}");
        var r = s.Row;
        result.Notes.Add($"{s.Preset} preset, for each K: {r.Epochs} epochs on {train.Length / data.Dim} static-MNIST training images (warm-up {r.WarmupEpochs}, "
            + $"{(r.Patience > 0 ? $"early stopping patience {r.Patience}" : "no early stopping")}), batch {r.BatchSize}, Adam lr {r.LearningRate} with per-tensor gradient normalisation; "
            + $"IS log-likelihood with S={r.IsNllSamples} on {points[0].Images} test images (strided). Seed 002's Fig. 5 trains 100 epochs on all of static MNIST.");
        result.Notes.Add("Every K starts from the same seed: the same encoder/decoder init, data order and noise, so differences between K come from the prior. "
            + "Each K's train.csv, learning curve and checkpoint are in k<K>/ (--resume continues the unfinished K and re-evaluates the finished ones).");
        return result;
    }

    private sealed record Point(int K, double LogLikelihood, double Elbo, double Kl, int Images, int Epochs, double TrainSeconds);

    /// <summary>Trains and evaluates the VampPrior VAE with K pseudo-inputs in its own folder k&lt;K&gt;.</summary>
    private static Point RunOne(RunContext context, Table1Data data, float[] train, VampPriorTable1Settings s, ExperimentResult result)
    {
        var k = s.Components;
        var name = $"k{k}";
        var folder = Path.Combine(context.OutDirectory, name);
        Directory.CreateDirectory(folder);
        var sub = new RunContext(context.Seed, context.Preset, context.Data, folder, context.Log)
        {
            Id = $"{context.Id}/{name}",
            Resume = context.Resume,
            CheckpointInterval = context.CheckpointInterval,
            Cancellation = context.Cancellation,
        };
        var rng = sub.CreateRng();
        var model = Table1Model.Build("vampprior", data, s, train, rng.Fork(Table1Training.InitStream));
        context.Log.Line($"vampprior/fig5: K = {k}, {model.Module.ParameterCount()} parameters");
        var config = new { Settings = s, Dataset, Prior = "vampprior", Likelihood = data.Likelihood.Name };
        var training = Table1Training.Train(sub, model, data, train, s, rng, config);
        var evaluation = Table1Evaluation.Run(model, data, s, rng, context.Cancellation);
        // Per-K learning curves stay in their folders; results.md embeds only the figure itself.
        result.Files.AddRange(training.Files.Where(f => !f.EndsWith(".svg", StringComparison.Ordinal)).Select(f => $"{name}/{f}"));
        context.Log.Line($"vampprior/fig5: K = {k}: test LL {evaluation.MeanLogLikelihood:F2}, ELBO {-evaluation.NegElbo:F2}, KL {evaluation.Kl:F2} ({training.TrainSeconds:F0}s training)");
        return new(k, evaluation.MeanLogLikelihood, -evaluation.NegElbo, evaluation.Kl, evaluation.Count, training.Epochs, training.TrainSeconds);
    }

    private static void WriteFigure(string folder, IReadOnlyList<Point> points, VampPriorFig5Settings s)
    {
        var ks = points.Select(p => (double)p.K).ToArray();
        LineChart.Write(Path.Combine(folder, ChartFile),
            [new Series("test LL (IS)", ks, points.Select(p => p.LogLikelihood).ToArray()), new Series("test ELBO", ks, points.Select(p => p.Elbo).ToArray())],
            new ChartOptions($"VampPrior on static MNIST, {s.Row.Epochs} epochs ({s.Preset})", "number of pseudo-inputs K", "nats"));
        var csv = new StringBuilder("k,test_log_likelihood,test_elbo,test_kl,test_images,epochs,train_seconds\n");
        foreach (var p in points)
        {
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{p.K},{p.LogLikelihood:R},{p.Elbo:R},{p.Kl:R},{p.Images},{p.Epochs},{p.TrainSeconds:F3}"));
        }

        AtomicFile.WriteAllText(Path.Combine(folder, CsvFile), csv.ToString());
    }
}
