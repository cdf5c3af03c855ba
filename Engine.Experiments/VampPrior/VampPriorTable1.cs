namespace Engine.Experiments.VampPrior;

/// <summary>
/// vampprior/table1/&lt;dataset&gt;/&lt;prior&gt;: one cell of seed 002's Table 1 (Tomczak &amp; Welling's
/// VampPrior, reproduced): a one-level MLP VAE (gated dense layers, z = 40, 2 × 300) with the standard,
/// VampPrior or VampPrior-data prior — plus our extra rows, a mixture-of-Gaussians prior and the
/// two-level HVAE with a VampPrior — trained with the reference's Adam (lr 5e-4, per-tensor gradient
/// normalisation) and KL warm-up; reports test log-likelihood (IS), test ELBO and KL.
/// </summary>
public sealed class VampPriorTable1(string dataset, string prior) : IExperiment
{
    /// <summary>Seed 002 Table 1 (test LL, nats); NaN where the seed has no row.</summary>
    public static double PaperLogLikelihood(string dataset, string prior) => (dataset, prior) switch
    {
        ("static-mnist", "standard") => -93.08,
        ("static-mnist", "vampprior") => -88.72,
        ("static-mnist", "vampprior-data") => -90.85,
        ("fashion-mnist", "standard") => -235.32,
        ("fashion-mnist", "vampprior") => -231.94,
        ("fashion-mnist", "vampprior-data") => -232.79,
        ("frey", "standard") => -2281.16,
        ("frey", "vampprior") => -2257.76,
        ("frey", "vampprior-data") => -2286.52,
        ("caltech101", "standard") => -137.32,
        ("caltech101", "vampprior") => -135.15,
        ("caltech101", "vampprior-data") => -142.02,
        _ => double.NaN,
    };

    public static IReadOnlyList<string> Priors { get; } = ["standard", "vampprior", "vampprior-data", "mog", "hvae-vampprior"];

    public ExperimentResult Run(RunContext context)
    {
        var s = VampPriorTable1Settings.For(context.Preset);
        var log = context.Log;
        var data = Table1Data.Load(dataset, context);
        var config = new { Settings = s, Dataset = dataset, Prior = prior, Likelihood = data.Likelihood.Name };
        var result = new ExperimentResult { Config = config };
        result.Data[dataset] = data.Notes;
        var rng = context.CreateRng();
        var train = data.Train.AsSpan(0, Math.Min(data.TrainCount, s.TrainImages) * data.Dim).ToArray();
        var model = Table1Model.Build(prior, data, s, train, rng.Fork(Table1Training.InitStream));
        log.Line($"{dataset}/{prior}: {train.Length / data.Dim} training images, {model.Module.ParameterCount()} parameters");

        var training = Table1Training.Train(context, model, data, train, s, rng, config);
        result.Record(training);
        var evaluation = Table1Evaluation.Run(model, data, s, rng, context.Cancellation);
        result.Files.AddRange(Table1Figures.Write(context.OutDirectory, model, data, evaluation, rng, $"{dataset}/{prior}"));

        var ll = evaluation.MeanLogLikelihood;
        var paper = PaperLogLikelihood(dataset, prior);
        result.Add("test_log_likelihood", ll, "nats", $"test LL (IS, S={s.IsNllSamples}, {evaluation.Count} images){(double.IsNaN(paper) ? "" : $"; paper {paper}")}");
        if (!double.IsNaN(paper))
        {
            result.Add("paper_log_likelihood", paper, "nats", "seed 002 Table 1");
        }

        result.Add("test_elbo", -evaluation.NegElbo, "nats", "test ELBO (one sample)");
        result.Add("test_kl", evaluation.Kl, "nats", "test KL term");
        result.Add("epochs", training.Epochs, "epochs", "epochs trained");
        result.Add("evaluated_epoch", training.EvaluatedEpoch, "epoch", "epoch whose weights were evaluated");
        result.Add("train_seconds", training.TrainSeconds, "s", "training time");
        result.Add("evaluation_seconds", evaluation.Seconds, "s", "evaluation time");
        log.Line($"{dataset}/{prior}: test LL {ll:F2} ({(double.IsNaN(paper) ? "no paper value: our extra row" : $"paper {paper}")}), ELBO {-evaluation.NegElbo:F2}, KL {evaluation.Kl:F2}");
        result.Notes.Add($"{s.Preset} preset: up to {s.Epochs} epochs (warm-up {s.WarmupEpochs}{(s.Patience > 0 ? $", early stopping patience {s.Patience}" : "")}), batch {s.BatchSize}, "
            + $"Adam lr {s.LearningRate} with per-tensor gradient normalisation, gated dense layers; IS-NLL with S={s.IsNllSamples} on {evaluation.Count} test images (every {evaluation.Stride}th). "
            + "Seed 002 trained 1,000 epochs and used S=5000: shorter runs give lower LL.");
        result.Notes.Add("Figures show the likelihood's mean: reconstructions from the posterior means, samples from the prior"
            + (model.PseudoInputs() is null ? "." : ", and the first pseudo-inputs u_k (clipped to [0, 1])."));
        return result;
    }
}
