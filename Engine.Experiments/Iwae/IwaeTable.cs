using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using Engine.Experiments.Reporting.Figures;
using Engine.Experiments.Training;
using Engine.Models.Bounds;
using Engine.Models.Iwae;

namespace Engine.Experiments.Iwae;

/// <summary>
/// iwae/table/&lt;arch&gt;/&lt;objective&gt;/k&lt;k&gt;: one row of the VAE-vs-IWAE table (Burda et al. 2016,
/// seed 003): the paper's tanh networks with one or two stochastic layers, trained with the k-sample
/// VAE objective or the IWAE bound on dynamically binarised MNIST (59,600 train, 400 validation,
/// test binarised once with seed 123); reports IS-NLL and active units per stochastic layer.
/// </summary>
public sealed class IwaeTable(bool twoLayers, bool iwae, int k) : IExperiment
{
    /// <summary>Paper values (NLL, active units layer 1, layer 2) from spec README (seed 003 table).</summary>
    public static (double Nll, int Au1, int Au2) Paper(bool twoLayers, bool iwae, int k) => (twoLayers, iwae, k) switch
    {
        (false, _, 1) => (86.76, 19, 0),
        (false, false, 5) => (86.47, 20, 0),
        (false, true, 5) => (85.54, 22, 0),
        (false, false, 50) => (86.35, 20, 0),
        (false, true, 50) => (84.78, 25, 0),
        (true, _, 1) => (85.33, 16, 5),
        (true, false, 5) => (85.01, 17, 5),
        (true, true, 5) => (83.89, 21, 5),
        (true, false, 50) => (84.78, 17, 5),
        (true, true, 50) => (82.90, 26, 7),
        _ => (double.NaN, 0, 0),
    };

    public ExperimentResult Run(RunContext context)
    {
        var s = IwaeTableSettings.For(context.Preset);
        var log = context.Log;
        var config = new { Settings = s, TwoLayers = twoLayers, Objective = iwae ? "iwae" : "vae", K = k };
        var result = new ExperimentResult { Config = config };
        var folder = context.Data.Find(Mnist.Info);
        result.Data[Mnist.Info.Name] = folder;
        var (trainFile, testFile) = Mnist.Load(folder);
        var train = trainFile.Slice(0, Math.Min(s.TrainImages, trainFile.Count - s.ValidationImages));
        var test = Binarization.SampleOnce(testFile.Take(s.TestImages), new Rng(s.TestBinarizationSeed));
        var meanPixel = Enumerable.Range(0, Mnist.Pixels).Select(p => Enumerable.Range(0, train.Count).Average(i => train.Pixels[i * Mnist.Pixels + p])).Select(v => (float)v).ToArray();

        var rng = context.CreateRng();
        var model = new IwaeNetwork(Mnist.Pixels, twoLayers ? IwaeArchitecture.TwoLayers : IwaeArchitecture.OneLayer, rng.Fork(1), meanPixel);
        var optimizer = new Adam(model.Parameters(), new AdamOptions(s.LearningRate, s.Beta1, 0.999, s.AdamEps, InitialSecondMoment: s.InitialSecondMoment));
        var validation = Binarization.SampleOnce(trainFile.Slice(trainFile.Count - s.ValidationImages, s.ValidationImages), new Rng(s.TestBinarizationSeed).Fork(1));
        var training = Train(context, model, optimizer, s, train, validation, rng, config);
        result.Record(training);
        var trainSeconds = training.TrainSeconds;

        var clock = Stopwatch.StartNew();
        var nll = Enumerable.Range(0, test.Length / Mnist.Pixels / 10)
            .SelectMany(b => ImportanceSampling.LogLikelihood(model.LogWeights, Tensor.FromArray(test.AsSpan(b * 10 * Mnist.Pixels, 10 * Mnist.Pixels).ToArray(), 10, Mnist.Pixels), rng.Fork(5), s.IsNllSamples, chunk: Math.Min(s.IsNllSamples, 100)))
            .Select(v => -v).ToArray();
        var isSeconds = clock.Elapsed.TotalSeconds;
        var auImages = Tensor.FromArray(Binarization.SampleOnce(train.Take(s.ActiveUnitImages), rng.Fork(6)), Math.Min(s.ActiveUnitImages, train.Count), Mnist.Pixels);
        var means = model.PosteriorMeans(auImages, rng.Fork(7), s.ActiveUnitSamples);
        var active = means.Select((m, l) => ActiveUnits.Count(m, model.Layers[l].Latents)).ToArray();
        var paper = Paper(twoLayers, iwae, k);
        result.Files.AddRange(WriteFigures(context.OutDirectory, model, test, rng.Fork(8)));

        result.Add("test_is_nll", nll.Average(), "nats", $"test IS-NLL (S={s.IsNllSamples}, {nll.Length} images); paper {paper.Nll}");
        result.Add("paper_nll", paper.Nll, "nats", "paper NLL");
        result.Add("active_units_1", active[0], "units", $"active units, layer 1; paper {paper.Au1}");
        if (twoLayers)
        {
            result.Add("active_units_2", active[1], "units", $"active units, layer 2; paper {paper.Au2}");
        }

        result.Add("train_seconds", trainSeconds, "s", "training time");
        result.Add("is_nll_seconds", isSeconds, "s", "IS-NLL time");
        log.Line($"test is-nll {nll.Average():F2} (paper {paper.Nll}); active units {string.Join("+", active)} (paper {paper.Au1}{(twoLayers ? $"+{paper.Au2}" : "")})");
        result.Notes.Add($"{s.Preset} preset: {s.Epochs} epochs over {train.Count} images, batch {s.BatchSize}, Adam lr {s.LearningRate}{(s.PaperSchedule ? " with the IWAE 8-pass schedule" : "")}, β1 {s.Beta1}, ε {s.AdamEps}, v₀ {s.InitialSecondMoment}; "
            + $"IS-NLL with S={s.IsNllSamples} on the first {s.TestImages} test images (binarised once, seed {s.TestBinarizationSeed}); active units on {s.ActiveUnitImages} training images. The paper trains 3280 epochs with S=5000: shorter runs give higher NLL.");
        return result;
    }

    /// <summary>
    /// Trains through the shared <see cref="TrainingLoop"/> (checkpoints, resume, progress, train.csv,
    /// NaN stop). The streams and the order of draws are those of the loop this replaced, so a seed
    /// gives the same numbers as before. The validation number is the row's own objective on the
    /// held-out images, for watching progress only: the IWAE protocol picks no epoch, the last is kept.
    /// </summary>
    private TrainingOutcome Train(RunContext context, IwaeNetwork model, Adam optimizer, IwaeTableSettings s, ImageSet train, float[] validation, Rng rng, object config)
    {
        var d = Mnist.Pixels;
        var shuffle = rng.Fork(2);
        var binarize = rng.Fork(3);
        var noise = rng.Fork(4);
        var steps = train.Count / s.BatchSize;
        if (steps == 0)
        {
            throw new ExperimentException($"iwae/table: {train.Count} training images do not fill one batch of {s.BatchSize}.");
        }

        var pixels = new float[s.BatchSize * d];
        var binary = new float[s.BatchSize * d];
        var x = Tensor.PersistentZeros(new Shape(s.BatchSize, d));
        var order = Array.Empty<int>();
        Rng? epochBinarize = null;
        var loop = new TrainingLoop(context, model, optimizer, new TrainingOptions(s.Epochs, steps, s.BatchSize, ValidationName: iwae ? $"val −L_{k}" : $"val −ELBO(k={k})", Config: config));
        loop.Track("shuffle", shuffle);
        loop.Track("noise", noise);
        loop.Track("binarize.epoch", () => epochBinarize);
        return loop.Run(
            beginEpoch: epoch =>
            {
                optimizer.LearningRate = s.LearningRateAt(epoch);
                order = shuffle.Permutation(train.Count);
                epochBinarize = binarize.Fork((ulong)epoch);
            },
            loss: (_, step) =>
            {
                ShuffledBatches.Gather(train, order.AsSpan(step * s.BatchSize, s.BatchSize), pixels);
                Binarization.Sample(pixels, binary, epochBinarize!);
                x.CopyFrom<float>(binary);
                return iwae ? model.IwaeLoss(x, noise, k) : model.VaeLoss(x, noise, k);
            },
            validate: epoch => ValidationLoss(model, validation, rng.Fork(9).Fork((ulong)epoch)));
    }

    /// <summary>
    /// The training objective on the held-out images, 100 at a time, with its own noise stream (a
    /// fork per epoch, so training draws and a resumed run are unaffected).
    /// </summary>
    private double ValidationLoss(IwaeNetwork model, float[] images, Rng noise)
    {
        var d = Mnist.Pixels;
        var count = images.Length / d;
        double total = 0;
        using var pause = Tape.NoGrad();
        for (var b = 0; b < count; b += 100)
        {
            using var scope = new TensorScope();
            var n = Math.Min(100, count - b);
            var x = Tensor.FromArray(images.AsSpan(b * d, n * d).ToArray(), n, d);
            total += n * (iwae ? model.IwaeLoss(x, noise, k) : model.VaeLoss(x, noise, k)).Item();
        }

        return total / count;
    }

    /// <summary>samples.png (64 ancestral samples) and reconstructions.png (test images above their reconstructions from the layer-1 posterior mean).</summary>
    private static IReadOnlyList<string> WriteFigures(string folder, IwaeNetwork model, float[] test, Rng rng)
    {
        const int count = 64, columns = 8, side = 28;
        var d = Mnist.Pixels;
        using var scope = new TensorScope();
        using var noGrad = Tape.NoGrad();
        ImageGrid.Write(Path.Combine(folder, "samples.png"), model.Sample(count, rng).ToFloatArray(), count, side, side, columns);
        var pairs = Math.Min(count / 2, test.Length / d);
        var originals = test.AsSpan(0, pairs * d).ToArray();
        ImageGrid.WritePairs(Path.Combine(folder, "reconstructions.png"), originals, model.Reconstruct(Tensor.FromArray(originals, pairs, d)).ToFloatArray(), pairs, side, side, columns);
        return ["samples.png", "reconstructions.png"];
    }
}
