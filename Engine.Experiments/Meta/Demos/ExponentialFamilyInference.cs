using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data.Synthetic;
using Engine.Experiments.Reporting.Figures;
using Engine.Models.Meta.Demos;

namespace Engine.Experiments.Meta.Demos;

/// <summary>
/// metavae/expfam (Wu et al., seed 001, Figs. 3–4; spec metavae §9.3): can the meta-inference
/// network learn a sufficient statistic? Single family: MetaVAEs amortised over 30 Gaussian,
/// log-normal or exponential distributions vs a VAE trained on one of them, scored by the MSE
/// between inferred and true parameter as it sweeps past the training range. Many families: one
/// MetaVAE over all 90 vs the three per-family MetaVAEs, on the three families and on the held-out
/// Weibull, Laplace and Beta. Where a model's likelihood is the family's own, the parameter is read
/// off z (mean, log-mean, log-rate); otherwise [choice] a least-squares line from μ_z to the
/// parameter, fit on separate probe distributions, gives it (the reference's protocol for unseen
/// families is not published).
/// </summary>
public sealed class ExponentialFamilyInference : IExperiment
{
    private static readonly ExponentialFamily[] Trained = [ExponentialFamily.Gaussian, ExponentialFamily.LogNormal, ExponentialFamily.Exponential];
    private static readonly ExponentialFamily[] All = [.. Trained, ExponentialFamily.Weibull, ExponentialFamily.Laplace, ExponentialFamily.Beta];

    public ExperimentResult Run(RunContext context)
    {
        var s = ExponentialFamilySettings.For(context.Preset);
        var result = new ExperimentResult { Config = s };
        var rng = context.CreateRng();
        var log = context.Log;
        var models = new List<TrainedModel>();
        foreach (var (family, k) in Trained.Select((f, k) => (f, k)))
        {
            var datasets = Enumerable.Range(0, s.DatasetsPerFamily).Select(i => Dataset.Create(family, rng.Fork(1000 * (ulong)k + (ulong)i), s)).ToArray();
            models.Add(Train($"meta-{Name(family)}", datasets, s.HiddenOne, s, rng.Fork(10 + (ulong)k), log));
            models.Add(Train($"vae-{Name(family)}", [datasets[0]], s.HiddenOne, s, rng.Fork(20 + (ulong)k), log));
        }

        var many = Trained.SelectMany((f, k) => Enumerable.Range(0, s.DatasetsPerFamily).Select(i => Dataset.Create(f, rng.Fork(1000 * (ulong)k + (ulong)i), s))).ToArray();
        models.Add(Train("meta-all", many, s.HiddenMany, s, rng.Fork(30), log));
        foreach (var m in models)
        {
            result.Add($"{m.Name}_final_loss", m.FinalLoss, "nats", $"{m.Name}: mean training loss over the last 10 % of steps ({m.Datasets} datasets{(m.Datasets == 1 ? $", θ = {m.Theta:F2}" : "")})");
        }

        foreach (var (family, f) in All.Select((x, i) => (x, i)))
        {
            var (low, high) = ExponentialFamilies.ParameterRange(family);
            var sweep = Sweep(family, s.SweepPoints);
            var series = new List<Series>();
            var evaluate = models.Where(m => m.Name.StartsWith("meta-", StringComparison.Ordinal) || m.Name == $"vae-{Name(family)}");
            foreach (var m in evaluate)
            {
                var estimator = Estimator(m, family, s, rng.Fork(5000 + 10 * (ulong)f));
                var mse = sweep.Select((theta, i) => Mse(m, family, theta, estimator, s, rng.Fork(6000 + 100 * (ulong)f + (ulong)i))).ToArray();
                series.Add(new Series($"{m.Name}{(estimator.Direct ? "" : " (probe)")}", sweep, mse.Select(v => Math.Log10(Math.Max(v, 1e-8))).ToArray()));
                var inside = sweep.Select((t, i) => (t, i)).Where(p => p.t >= low && p.t <= high).Select(p => mse[p.i]).Average();
                result.Add($"{Name(family)}_{m.Name}_mse_in_range", inside, "mse", $"{family}: {m.Name}{(estimator.Direct ? " (parameter read off z)" : " (linear probe on μ_z)")}, mean MSE over θ ∈ [{low}, {high}]");
                result.Add($"{Name(family)}_{m.Name}_mse_sweep", mse.Average(), "mse", $"{family}: {m.Name}, mean MSE over the sweep [{sweep[0]:G3}, {sweep[^1]:G3}]");
            }

            var figure = $"mse_{Name(family)}.svg";
            LineChart.Write(Path.Combine(context.OutDirectory, figure), series,
                new ChartOptions($"{family}{(Trained.Contains(family) ? "" : " (held out)")}: MSE of the inferred parameter (training range [{low}, {high}])", "true parameter", "log10 MSE"));
            result.Files.Add(figure);
            log.Line($"{family}: {string.Join(", ", series.Select(x => $"{x.Name} {x.Y.Average():F2}"))} (mean log10 MSE over the sweep)");
        }

        // Fig. 3a's two tests: unseen means from the meta-distribution U(−5, 5) and from the wider U(−20, 20).
        foreach (var name in new[] { "meta-gaussian", "vae-gaussian" })
        {
            var m = models.First(x => x.Name == name);
            var estimator = Estimator(m, ExponentialFamily.Gaussian, s, rng);
            foreach (var width in new[] { 5, 20 })
            {
                var draw = rng.Fork(7000 + (ulong)width);
                var thetas = Enumerable.Range(0, s.SweepPoints).Select(_ => -width + 2 * width * draw.NextDouble()).ToArray();
                var mse = thetas.Select((t, i) => Mse(m, ExponentialFamily.Gaussian, t, estimator, s, draw.Fork((ulong)i))).Average();
                result.Add($"gaussian_{name}_mse_u{width}", mse, "mse", $"Gaussian means ~ U(−{width}, {width}): {name}");
            }
        }

        result.Notes.Add($"{s.Preset} preset: {s.Steps} Adam steps (lr {s.LearningRate}) per model, {s.DatasetsPerFamily} datasets per family of {s.PoolSize:N0} draws (80 % train), "
            + $"sets of {s.SetSize} scalar draws with {s.ContextSets} context sets, batch 1 per dataset; sweeps of {s.SweepPoints} parameter values × {s.Repeats} fresh sets; "
            + $"probes fit on {s.ProbeDistributions} distributions from the family's range. Summary width {s.HiddenOne} (one family) / {s.HiddenMany} (90 datasets).");
        result.Notes.Add("[choice] Draws are 1-D (the reference uses 2-D draws with i.i.d. coordinates); the exponential term is the summed log-likelihood without the reference's ×1000 constant. "
            + "The VAE baselines are the same network trained on one distribution (the first of its family's 30). Figures only in the paper: no numbers to compare with.");
        return result;
    }

    private static string Name(ExponentialFamily family) => family.ToString().ToLowerInvariant();

    private static KnownLikelihood Likelihood(ExponentialFamily family) => family switch
    {
        ExponentialFamily.Gaussian => KnownLikelihood.Gaussian,
        ExponentialFamily.LogNormal => KnownLikelihood.LogNormal,
        _ => KnownLikelihood.Exponential,
    };

    /// <summary>The swept parameters: twice the training interval around its centre (Gaussian: [−10, 10]).</summary>
    private static double[] Sweep(ExponentialFamily family, int points)
    {
        var (low, high) = ExponentialFamilies.ParameterRange(family);
        var (a, b) = family is ExponentialFamily.Gaussian or ExponentialFamily.LogNormal ? (2 * low, 2 * high) : (low / 2, high * 1.6);
        return Enumerable.Range(0, points).Select(i => a + (b - a) * i / (points - 1.0)).ToArray();
    }

    private static TrainedModel Train(string name, Dataset[] datasets, int hidden, ExponentialFamilySettings s, Rng rng, ProgressLog log)
    {
        var clock = Stopwatch.StartNew();
        var model = new SufficientStatisticVae(rng.Fork(1), hidden);
        var optimizer = new Adam(model.Parameters(), new AdamOptions(s.LearningRate));
        var draws = rng.Fork(2);
        var noise = rng.Fork(3);
        var segments = datasets.GroupBy(d => d.Family).Select(g => (Likelihood(g.Key), g.Count())).ToArray();
        var tail = new List<double>();
        for (var step = 1; step <= s.Steps; step++)
        {
            var (query, contextSets) = Sets(datasets.Select(d => d.Train).ToArray(), s, draws);
            using var tape = new Tape();
            var loss = model.Loss(query, contextSets, segments, noise);
            optimizer.ZeroGrad();
            tape.Backward(loss);
            optimizer.Step();
            var value = loss.Item();
            if (!double.IsFinite(value))
            {
                throw new TrainingDivergedException($"metavae/expfam: {name} diverged at step {step} (loss {value}).");
            }

            if (step > s.Steps * 9 / 10)
            {
                tail.Add(value);
            }
        }

        log.Line($"{name}: {s.Steps} steps on {datasets.Length} datasets, final loss {tail.Average():F3} ({clock.Elapsed.TotalSeconds:F0}s)");
        return new TrainedModel(name, model, datasets.Select(d => d.Family).Distinct().ToArray(), datasets.Length, datasets[0].Theta, tail.Average());
    }

    /// <summary>One query set and <c>ContextSets</c> context sets from each pool: [T, N] and [T, S, N].</summary>
    private static (Tensor Query, Tensor Context) Sets(double[][] pools, ExponentialFamilySettings s, Rng rng)
    {
        int t = pools.Length, n = s.SetSize, c = s.ContextSets;
        var query = new float[t * n];
        var context = new float[t * c * n];
        for (var i = 0; i < t; i++)
        {
            var pool = pools[i];
            for (var k = 0; k < n; k++)
            {
                query[i * n + k] = (float)pool[rng.NextInt(pool.Length)];
            }

            for (var k = 0; k < c * n; k++)
            {
                context[i * c * n + k] = (float)pool[rng.NextInt(pool.Length)];
            }
        }

        return (Tensor.FromArray(query, t, n), Tensor.FromArray(context, t, c, n));
    }

    /// <summary>μ_z for <c>Repeats</c> fresh (query, context) draws from the family at θ.</summary>
    private static double[] Infer(TrainedModel m, ExponentialFamily family, double theta, ExponentialFamilySettings s, Rng rng)
    {
        using var noGrad = Tape.NoGrad();
        using var scope = new TensorScope();
        var pools = Enumerable.Range(0, s.Repeats).Select(_ => ExponentialFamilies.Draw(family, theta, s.SetSize * (s.ContextSets + 1), rng)).ToArray();
        var (query, contextSets) = Sets(pools, s, rng);
        return m.Model.Infer(query, contextSets).Mu.ToDoubleArray();
    }

    private static double Mse(TrainedModel m, ExponentialFamily family, double theta, ParameterEstimator estimator, ExponentialFamilySettings s, Rng rng) =>
        Infer(m, family, theta, s, rng).Select(z => Math.Pow(estimator.Estimate(z) - theta, 2)).Average();

    /// <summary>Direct (the model's likelihood is the family's) or a least-squares line θ ≈ a + b·μ_z from probe distributions.</summary>
    private static ParameterEstimator Estimator(TrainedModel m, ExponentialFamily family, ExponentialFamilySettings s, Rng rng)
    {
        if (Trained.Contains(family) && m.Families.Contains(family))
        {
            var likelihood = Likelihood(family);
            return new ParameterEstimator(true, z => SufficientStatisticVae.Parameter(z, likelihood));
        }

        var points = Enumerable.Range(0, s.ProbeDistributions).SelectMany(i =>
        {
            var theta = ExponentialFamilies.SampleParameter(family, rng);
            return Infer(m, family, theta, s, rng.Fork((ulong)i)).Select(z => (z, theta));
        }).ToArray();
        var mz = points.Average(p => p.z);
        var mt = points.Average(p => p.theta);
        var variance = points.Sum(p => (p.z - mz) * (p.z - mz));
        var slope = variance > 1e-12 ? points.Sum(p => (p.z - mz) * (p.theta - mt)) / variance : 0;
        return new ParameterEstimator(false, z => mt + slope * (z - mz));
    }

    private sealed record ParameterEstimator(bool Direct, Func<double, double> Estimate);

    private sealed record TrainedModel(string Name, SufficientStatisticVae Model, ExponentialFamily[] Families, int Datasets, double Theta, double FinalLoss);

    /// <summary>One training distribution: its family, parameter and the training 80 % of its draws.</summary>
    private sealed record Dataset(ExponentialFamily Family, double Theta, double[] Train)
    {
        public static Dataset Create(ExponentialFamily family, Rng rng, ExponentialFamilySettings s)
        {
            var theta = ExponentialFamilies.SampleParameter(family, rng);
            var draws = ExponentialFamilies.Draw(family, theta, s.PoolSize, rng);
            return new Dataset(family, theta, draws[..(s.PoolSize * 4 / 5)]);
        }
    }
}
