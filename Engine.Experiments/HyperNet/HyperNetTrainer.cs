using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;
using Engine.Models.HyperNet;

namespace Engine.Experiments.HyperNet;

/// <summary>
/// Trains an MNIST hypernetwork on λ·CE − Ĥ (spec hypernetwork §4.3): every step draws a noise batch
/// and gives each generated net its own images, then decays the learning rate. Shared by every
/// hypernet/* experiment that needs a trained generator.
/// </summary>
public static class HyperNetTrainer
{
    public static MnistHyperNetwork Train(HyperNetTraining t, ImageSet train, Rng rng, ProgressLog log, ExperimentResult result, HyperNetOptions? options = null)
    {
        options ??= new HyperNetOptions(Lambda: t.Lambda);
        var model = new MnistHyperNetwork(options, rng.Fork(1));
        var optimizer = new Adam(model.Parameters(), new AdamOptions(t.LearningRate));
        var draws = rng.Fork(2);
        var clock = Stopwatch.StartNew();
        var images = t.NoiseBatch * t.ImagesPerNet;
        var pixels = new float[images * 784];
        var labels = new int[images];
        model.Train();
        for (var step = 1; step <= t.Steps; step++)
        {
            for (var i = 0; i < images; i++)
            {
                var index = draws.NextInt(train.Count);
                train.Row(index).CopyTo(pixels.AsSpan(i * 784, 784));
                labels[i] = train.Labels[index];
            }

            using var tape = new Tape();
            var z = model.SampleNoise(t.NoiseBatch, draws);
            var terms = model.Loss(z, Tensor.FromArray(pixels, t.NoiseBatch, t.ImagesPerNet, 784), labels);
            optimizer.ZeroGrad();
            tape.Backward(terms.Loss);
            optimizer.Step();
            optimizer.LearningRate *= t.LearningRateDecay;
            var loss = terms.Loss.Item();
            if (!double.IsFinite(loss))
            {
                throw new TrainingDivergedException($"hypernetwork: loss {loss} at step {step}.");
            }

            if (step % Math.Max(1, t.Steps / 10) == 0 || step == t.Steps)
            {
                log.Line($"step {step}/{t.Steps}: loss {loss:F2}, cross-entropy {terms.CrossEntropy.Item():F4}, entropy {terms.Entropy.Item():F1}, batch accuracy {100 * terms.Accuracy:F1} % ({ProgressLog.Duration(clock.Elapsed.TotalSeconds)})");
            }
        }

        result.Add("train_seconds", clock.Elapsed.TotalSeconds, "s", "hypernetwork training time");
        model.Eval();
        return model;
    }
}
