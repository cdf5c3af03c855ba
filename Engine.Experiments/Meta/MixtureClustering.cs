using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data.Synthetic;
using Engine.Models.Meta.Demos;

namespace Engine.Experiments.Meta;

/// <summary>
/// metavae/mog — clustering mixtures of two Gaussians (Wu et al., seed 001, §9.1 of the spec): a
/// VAE trained on one mixture vs MetaVAE trained on N ∈ {10, 20, 50} mixtures, each tested on unseen
/// mixtures by the cluster error (best label permutation) of argmax q(z | D, x), D = the 20 points.
/// Paper: VAE 27.9 %, MetaVAE 21.2 / 15.8 / 9.9 %.
/// </summary>
public sealed class MixtureClustering : IExperiment
{
    private static readonly Dictionary<int, double> PaperError = new() { [10] = 21.2, [20] = 15.8, [50] = 9.9 };
    private const double PaperVaeError = 27.9;

    public ExperimentResult Run(RunContext context)
    {
        var s = MixtureClusteringSettings.For(context.Preset);
        var result = new ExperimentResult { Config = s };
        var rng = context.CreateRng();
        var test = Enumerable.Range(0, s.TestMixtures).Select(i => GaussianMixtureTasks.Sample(rng.Fork(1000 + (ulong)i), s.SetSize)).ToArray();

        var vaeError = TrainAndTest(1, useSummary: false, s, rng.Fork(1), test, context.Log);
        result.Add("vae_error", 100 * vaeError, "%", $"VAE (one mixture) cluster error; paper {PaperVaeError} %");
        foreach (var n in s.TrainingMixtures)
        {
            var error = TrainAndTest(n, useSummary: true, s, rng.Fork(10 + (ulong)n), test, context.Log);
            var paper = PaperError.TryGetValue(n, out var p) ? $"; paper {p} %" : "";
            result.Add($"metavae_n{n}_error", 100 * error, "%", $"MetaVAE N={n} cluster error{paper}");
        }

        result.Notes.Add($"{s.Preset} preset: {s.Steps} Adam steps (lr {s.LearningRate}) per model, sets of {s.SetSize} points, "
            + $"{s.TestMixtures} unseen test mixtures; 2-D mixtures, means ~ U(−5, 5)², covariance 0.1·I. The model (enumerated binary z, "
            + "mean-MLP summary, per-mixture Gaussian decoders) is our design: the reference repository has none.");
        return result;
    }

    private static double TrainAndTest(int mixtures, bool useSummary, MixtureClusteringSettings s, Rng rng, MixtureTask[] test, ProgressLog log)
    {
        var clock = Stopwatch.StartNew();
        var model = new MixtureClusteringModel(mixtures, useSummary, rng.Fork(1), s.Hidden);
        var optimizer = new Adam(model.Parameters(), new AdamOptions(LearningRate: s.LearningRate));
        var tasks = Enumerable.Range(0, mixtures).Select(i => GaussianMixtureTasks.Sample(rng.Fork(100 + (ulong)i), 1)).ToArray();
        var draws = rng.Fork(2);
        for (var i = 0; i < mixtures; i++)
        {
            model.InitializeDecoder(i, Redraw(tasks[i], s.SetSize, draws));
        }

        var lossSum = 0.0;
        for (var step = 1; step <= s.Steps; step++)
        {
            var i = draws.NextInt(mixtures);
            var points = Redraw(tasks[i], s.SetSize, draws);
            using var tape = new Tape();
            var loss = model.Loss(Tensor.FromArray(points, s.SetSize, 2), i);
            optimizer.ZeroGrad();
            tape.Backward(loss);
            optimizer.Step();
            lossSum += loss.Item();
            if (step % Math.Max(1, s.Steps / 5) == 0)
            {
                log.Line($"{(useSummary ? $"metavae n={mixtures}" : "vae")}: step {step}/{s.Steps} loss {lossSum / Math.Max(1, s.Steps / 5):F3} ({clock.Elapsed.TotalSeconds:F0}s)");
                lossSum = 0;
            }
        }

        using var noGrad = Tape.NoGrad();
        var errors = test.Select(task =>
        {
            using var scope = new TensorScope();
            var assigned = model.Assign(Tensor.FromArray(task.Points.Select(v => (float)v).ToArray(), task.Count, 2));
            return GaussianMixtureTasks.ClusterError(assigned, task.Labels);
        }).ToArray();
        var mean = errors.Average();
        log.Line($"{(useSummary ? $"metavae n={mixtures}" : "vae")}: test cluster error {100 * mean:F1} % over {test.Length} mixtures");
        return mean;
    }

    /// <summary>Fresh points from a training mixture's fixed means (a dataset is a distribution, not a fixed sample).</summary>
    private static float[] Redraw(MixtureTask task, int count, Rng rng)
    {
        var points = new float[2 * count];
        var std = Math.Sqrt(GaussianMixtureTasks.Variance);
        for (var i = 0; i < count; i++)
        {
            var k = rng.NextDouble() < 0.5 ? 0 : 1;
            points[2 * i] = (float)(task.Means[2 * k] + std * rng.NextNormal());
            points[2 * i + 1] = (float)(task.Means[2 * k + 1] + std * rng.NextNormal());
        }

        return points;
    }
}
