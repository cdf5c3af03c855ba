using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using Engine.Experiments.Reporting.Figures;
using Engine.Experiments.Training;
using Engine.Models.Vae;

namespace Engine.Experiments.Vae;

/// <summary>
/// vae/mnist/mlp: the VAE of Kingma &amp; Welling (2014) with a 784-300-300-40 MLP encoder and
/// decoder, Bernoulli likelihood and N(0, I) prior, trained with Adam (lr 1e-3, batch 100) on
/// dynamically binarised MNIST (train = first 50,000 training images, validation = last 10,000,
/// VampPrior protocol; validation and test binarised once with a fixed seed). Reports test −ELBO
/// before and after training, its reconstruction and KL terms, and the IS-NLL.
/// </summary>
public sealed class MnistMlpVae : IExperiment
{
    // Independent random streams forked from the run seed, so changing one use never shifts another.
    private const ulong InitStream = 1;
    private const ulong ShuffleStream = 2;
    private const ulong BinarizeStream = 3;
    private const ulong NoiseStream = 4;
    private const ulong EvalNoiseStream = 5;
    private const ulong IsNllStream = 6;
    private const ulong SampleStream = 7;

    public ExperimentResult Run(RunContext context)
    {
        var s = MnistMlpVaeSettings.For(context.Preset);
        var log = context.Log;
        var result = new ExperimentResult { Config = s };
        var folder = context.Data.Find(Mnist.Info);
        result.Data[Mnist.Info.Name] = folder;

        var clock = Stopwatch.StartNew();
        var (trainFile, testFile) = Mnist.Load(folder);
        var (trainPart, validationPart) = Mnist.SplitValidation(trainFile);
        var train = trainPart.Take(s.TrainImages);
        var evalBinarization = new Rng(s.EvalBinarizationSeed);
        var validation = Binarization.SampleOnce(validationPart.Take(s.ValidationImages), evalBinarization.Fork(1));
        var test = Binarization.SampleOnce(testFile.Take(Math.Max(s.TestImages, s.IsNllImages)), evalBinarization.Fork(2));
        log.Line($"data: mnist from {folder}: {train.Count} train, {validation.Length / Mnist.Pixels} validation, {test.Length / Mnist.Pixels} test images ({clock.Elapsed.TotalSeconds:F1}s)");

        var rng = context.CreateRng();
        var model = new MlpVae(new MlpVaeConfig(Mnist.Pixels, s.Hidden, s.HiddenLayers, s.Latents), rng.Fork(InitStream));
        var testElbo = test.AsSpan(0, s.TestImages * Mnist.Pixels).ToArray();
        var untrained = ElboEvaluation.Evaluate(model, testElbo, Mnist.Pixels, rng.Fork(EvalNoiseStream), s.EvalBatch);
        log.Line($"untrained: test -elbo {untrained.NegElbo:F2} ({model.ParameterCount()} parameters)");

        var training = Train(model, s, train, validation, rng, context);
        result.Record(training);
        var trainSeconds = training.TrainSeconds;
        var (epochs, keptEpoch, keptValidation) = (training.Epochs, training.EvaluatedEpoch, training.EvaluatedValidation);

        var evalClock = Stopwatch.StartNew();
        var final = ElboEvaluation.Evaluate(model, testElbo, Mnist.Pixels, rng.Fork(EvalNoiseStream), s.EvalBatch);
        var elboSeconds = evalClock.Elapsed.TotalSeconds;
        log.Line($"final: test -elbo {final.NegElbo:F2} (reconstruction {final.Reconstruction:F2}, kl {final.Kl:F2}); is-nll with S={s.IsNllSamples} on {s.IsNllImages} images…");
        var isNll = IsNllEvaluation.Evaluate(model, test, Mnist.Pixels, s.IsNllImages, s.IsNllSamples, rng.Fork(IsNllStream), s.IsNllImagesPerCall, s.IsNllChunk, log, context.Cancellation);
        log.Line($"final: test is-nll {isNll.Mean:F2} ± {isNll.StandardError:F2} ({isNll.Seconds:F0}s, {isNll.Images / isNll.Seconds:F1} images/s)");
        WriteFigures(model, test, isNll, rng.Fork(SampleStream), context.OutDirectory, result);

        result.Add("test_neg_elbo_untrained", untrained.NegElbo, "nats", "test −ELBO before training (same seed)");
        result.Add("test_neg_elbo", final.NegElbo, "nats", "test −ELBO");
        result.Add("test_reconstruction", final.Reconstruction, "nats", "test reconstruction −log p(x|z)");
        result.Add("test_kl", final.Kl, "nats", "test KL(q(z|x) ‖ p(z))");
        result.Add("test_is_nll", isNll.Mean, "nats", $"test IS-NLL (S={isNll.Samples}, {isNll.Images} images)");
        result.Add("test_is_nll_stderr", isNll.StandardError, "nats", "standard error of the IS-NLL across images");
        result.Add("validation_neg_elbo", keptValidation, "nats", "validation −ELBO of the evaluated weights");
        result.Add("epochs", epochs, "epochs", "epochs trained");
        result.Add("evaluated_epoch", keptEpoch, "epoch", "epoch whose weights were evaluated");
        result.Add("train_seconds", trainSeconds, "s", "training time (incl. per-epoch validation)");
        result.Add("seconds_per_epoch", trainSeconds / Math.Max(1, epochs), "s", "mean time per epoch");
        result.Add("test_elbo_seconds", elboSeconds, "s", "test −ELBO evaluation time");
        result.Add("is_nll_seconds", isNll.Seconds, "s", "IS-NLL evaluation time");
        result.Notes.Add($"{s.Preset} preset: {s.TrainImages} training images, up to {s.Epochs} epochs, batch {s.BatchSize}, Adam lr {s.LearningRate}"
            + (s.Patience > 0 ? $", early stopping on validation −ELBO with patience {s.Patience} (best epoch's weights evaluated)." : ", no early stopping (last epoch evaluated)."));
        result.Notes.Add($"Test −ELBO over the first {s.TestImages} test images; IS-NLL with S={s.IsNllSamples} over the first {s.IsNllImages}; "
            + $"validation and test binarised once with seed {s.EvalBinarizationSeed}, training images re-binarised every epoch.");
        return result;
    }

    /// <summary>Trains through the shared loop (early stopping when patience &gt; 0, checkpoints, resume); the model ends with the evaluated weights.</summary>
    private static TrainingOutcome Train(MlpVae model, MnistMlpVaeSettings s, ImageSet train, float[] validation, Rng rng, RunContext context)
    {
        var d = Mnist.Pixels;
        var optimizer = new Adam(model.Parameters(), new AdamOptions(LearningRate: s.LearningRate));
        var shuffle = rng.Fork(ShuffleStream);
        var binarize = rng.Fork(BinarizeStream);
        var noise = rng.Fork(NoiseStream);
        var steps = train.Count / s.BatchSize; // the last partial batch is dropped (none at 50,000 / 100)
        if (steps == 0)
        {
            throw new ExperimentException($"vae/mnist/mlp: {train.Count} training images do not fill one batch of {s.BatchSize}.");
        }

        var pixels = new float[s.BatchSize * d];
        var binary = new float[s.BatchSize * d];
        var x = Tensor.PersistentZeros(new Shape(s.BatchSize, d));
        var order = Array.Empty<int>();
        Rng? epochBinarize = null;

        var loop = new TrainingLoop(context, model, optimizer, new TrainingOptions(s.Epochs, steps, s.BatchSize, s.Patience, "val -elbo", Config: s));
        loop.Track("shuffle", shuffle);
        loop.Track("noise", noise);
        loop.Track("binarize.epoch", () => epochBinarize);
        return loop.Run(
            beginEpoch: epoch =>
            {
                order = shuffle.Permutation(train.Count);
                epochBinarize = binarize.Fork((ulong)epoch);
            },
            loss: (_, step) =>
            {
                ShuffledBatches.Gather(train, order.AsSpan(step * s.BatchSize, s.BatchSize), pixels);
                Binarization.Sample(pixels, binary, epochBinarize!);
                x.CopyFrom<float>(binary);
                return model.Elbo(x, noise).Loss;
            },
            // The same ε every epoch, so validation numbers differ only through the weights.
            validate: _ => ElboEvaluation.Evaluate(model, validation, d, rng.Fork(EvalNoiseStream), s.EvalBatch).NegElbo);
    }

    /// <summary>samples.png (64 draws from the prior), reconstructions.png (test images above their reconstructions from μ) and the per-image IS-NLL histogram.</summary>
    private static void WriteFigures(MlpVae model, float[] test, IsNllEvaluation.Result isNll, Rng rng, string folder, ExperimentResult result)
    {
        const int count = 64, columns = 8;
        var d = Mnist.Pixels;
        using (var scope = new TensorScope())
        using (Tape.NoGrad())
        {
            var z = rng.Normal(new Shape(count, model.Config.Latents));
            ImageGrid.Write(Path.Combine(folder, "samples.png"), Ops.Sigmoid(model.Decode(z)).ToFloatArray(), count, 28, 28, columns);

            var originals = test.AsSpan(0, count / 2 * d).ToArray();
            var (mu, _) = model.Encode(Tensor.FromSpan<float>(originals, new Shape(count / 2, d)));
            var reconstructions = Ops.Sigmoid(model.Decode(mu)).ToFloatArray();
            ImageGrid.WritePairs(Path.Combine(folder, "reconstructions.png"), originals, reconstructions, count / 2, 28, 28, columns);
        }

        Histogram.Write(Path.Combine(folder, "is_nll_histogram.svg"), isNll.PerImage, 40,
            new ChartOptions($"Test −log p(x), S={isNll.Samples}, {isNll.Images} images", "−log p(x) [nats]", "images"));
        result.Files.AddRange(["samples.png", "reconstructions.png", "is_nll_histogram.svg"]);
    }
}
