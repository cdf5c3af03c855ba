using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;
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
        var result = new ExperimentResult { Config = new { Settings = s, TwoLayers = twoLayers, Objective = iwae ? "iwae" : "vae", K = k } };
        var folder = context.Data.Find(Mnist.Info);
        result.Data[Mnist.Info.Name] = folder;
        var (trainFile, testFile) = Mnist.Load(folder);
        var train = trainFile.Slice(0, Math.Min(s.TrainImages, trainFile.Count - s.ValidationImages));
        var test = Binarization.SampleOnce(testFile.Take(s.TestImages), new Rng(s.TestBinarizationSeed));
        var meanPixel = Enumerable.Range(0, Mnist.Pixels).Select(p => Enumerable.Range(0, train.Count).Average(i => train.Pixels[i * Mnist.Pixels + p])).Select(v => (float)v).ToArray();

        var rng = context.CreateRng();
        var model = new IwaeNetwork(Mnist.Pixels, twoLayers ? IwaeArchitecture.TwoLayers : IwaeArchitecture.OneLayer, rng.Fork(1), meanPixel);
        var optimizer = new Adam(model.Parameters(), new AdamOptions(s.LearningRate, s.Beta1, 0.999, s.AdamEps, InitialSecondMoment: s.InitialSecondMoment));
        var clock = Stopwatch.StartNew();
        Train(model, optimizer, s, train, rng, result, log);
        var trainSeconds = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var nll = Enumerable.Range(0, test.Length / Mnist.Pixels / 10)
            .SelectMany(b => ImportanceSampling.LogLikelihood(model.LogWeights, Tensor.FromArray(test.AsSpan(b * 10 * Mnist.Pixels, 10 * Mnist.Pixels).ToArray(), 10, Mnist.Pixels), rng.Fork(5), s.IsNllSamples, chunk: Math.Min(s.IsNllSamples, 100)))
            .Select(v => -v).ToArray();
        var isSeconds = clock.Elapsed.TotalSeconds;
        var auImages = Tensor.FromArray(Binarization.SampleOnce(train.Take(s.ActiveUnitImages), rng.Fork(6)), Math.Min(s.ActiveUnitImages, train.Count), Mnist.Pixels);
        var means = model.PosteriorMeans(auImages, rng.Fork(7), s.ActiveUnitSamples);
        var active = means.Select((m, l) => ActiveUnits.Count(m, model.Layers[l].Latents)).ToArray();
        var paper = Paper(twoLayers, iwae, k);

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

    private void Train(IwaeNetwork model, Adam optimizer, IwaeTableSettings s, ImageSet train, Rng rng, ExperimentResult result, ProgressLog log)
    {
        var d = Mnist.Pixels;
        var shuffle = rng.Fork(2);
        var binarize = rng.Fork(3);
        var noise = rng.Fork(4);
        var steps = train.Count / s.BatchSize;
        var pixels = new float[s.BatchSize * d];
        var binary = new float[s.BatchSize * d];
        var x = Tensor.PersistentZeros(new Shape(s.BatchSize, d));
        var total = 0.0;
        for (var epoch = 1; epoch <= s.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            optimizer.LearningRate = s.LearningRateAt(epoch);
            var order = shuffle.Permutation(train.Count);
            var epochBinarize = binarize.Fork((ulong)epoch);
            var lossSum = 0.0;
            for (var step = 0; step < steps; step++)
            {
                for (var i = 0; i < s.BatchSize; i++)
                {
                    train.Row(order[step * s.BatchSize + i]).CopyTo(pixels.AsSpan(i * d, d));
                }

                Binarization.Sample(pixels, binary, epochBinarize);
                x.CopyFrom<float>(binary);
                using var tape = new Tape();
                var loss = iwae ? model.IwaeLoss(x, noise, k) : model.VaeLoss(x, noise, k);
                optimizer.ZeroGrad();
                tape.Backward(loss);
                optimizer.Step();
                var value = loss.Item();
                if (!double.IsFinite(value))
                {
                    throw new ExperimentException($"iwae/table: training diverged (loss {value}) at epoch {epoch}, step {step + 1}.");
                }

                lossSum += value;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            total += seconds;
            var record = new EpochRecord(epoch, (long)epoch * steps, lossSum / steps, double.NaN, double.NaN, seconds);
            result.History.Add(record);
            log.Epoch(record, s.Epochs, "validation", steps * s.BatchSize / seconds, "images", (s.Epochs - epoch) * total / epoch);
        }
    }
}
