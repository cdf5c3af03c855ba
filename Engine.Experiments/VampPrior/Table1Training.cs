using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Training;

namespace Engine.Experiments.VampPrior;

/// <summary>
/// Training of a vampprior row through the shared <see cref="TrainingLoop"/> (checkpoints, resume,
/// progress, train.csv, NaN stop): the reference's Adam with per-tensor gradient normalisation, KL
/// warm-up β = min(1, epoch/W), validation −ELBO at β = 1 after every epoch, and early stopping that
/// only starts once the warm-up is over.
/// </summary>
public static class Table1Training
{
    // Streams forked from the run seed; the numbers are those of the loop this replaced, so a seed
    // gives the same training as before the move onto TrainingLoop.
    public const ulong InitStream = 1;
    public const ulong ShuffleStream = 2;
    public const ulong NoiseStream = 3;
    public const ulong ValidationStream = 7;

    /// <param name="config">The row's full settings (dataset, prior, preset values): a checkpoint only resumes an identical run.</param>
    public static TrainingOutcome Train(RunContext context, Table1Model model, Table1Data data, float[] train, VampPriorTable1Settings s, Rng rng, object config)
    {
        var optimizer = new Adam(model.Module.Parameters(), new AdamOptions(s.LearningRate, NormalizeGrad: s.NormalizeGrad));
        var shuffle = rng.Fork(ShuffleStream);
        var noise = rng.Fork(NoiseStream);
        var d = data.Dim;
        var n = train.Length / d;
        var steps = Math.Max(1, n / s.BatchSize);
        var batch = Math.Min(s.BatchSize, n);
        var x = Tensor.PersistentZeros(new Shape(batch, d));
        var buffer = new float[batch * d];
        var order = Array.Empty<int>();

        var options = new TrainingOptions(s.Epochs, steps, batch, s.Patience, "val -elbo", Config: config, EarlyStoppingAfter: s.WarmupEpochs);
        var loop = new TrainingLoop(context, model.Module, optimizer, options);
        loop.Track("shuffle", shuffle);
        loop.Track("noise", noise);
        return loop.Run(
            beginEpoch: _ => order = shuffle.Permutation(n),
            loss: (epoch, step) =>
            {
                for (var i = 0; i < batch; i++)
                {
                    train.AsSpan(order[step * batch + i] * d, d).CopyTo(buffer.AsSpan(i * d));
                }

                x.CopyFrom<float>(buffer);
                return model.Loss(x, noise, Beta(epoch, s.WarmupEpochs)).Loss;
            },
            // The same ε every epoch, so validation numbers differ only through the weights.
            validate: _ => EvaluateElbo(model, data.Validation, d, rng.Fork(ValidationStream)).NegElbo);
    }

    /// <summary>KL weight of the reference's warm-up: epoch/W for the first W epochs (epochs count from 1), then 1; W = 0 means 1 throughout.</summary>
    public static double Beta(int epoch, int warmupEpochs) => warmupEpochs > 0 ? Math.Min(1.0, (double)epoch / warmupEpochs) : 1.0;

    /// <summary>Mean −ELBO (β = 1) and KL over a data set, in batches of 500, without a tape.</summary>
    public static (double NegElbo, double Kl) EvaluateElbo(Table1Model model, float[] data, int dim, Rng rng)
    {
        using var noGrad = Tape.NoGrad();
        var count = data.Length / dim;
        double negElbo = 0, kl = 0;
        for (var b = 0; b < count; b += 500)
        {
            using var scope = new TensorScope();
            var n = Math.Min(500, count - b);
            var terms = model.Loss(Tensor.FromArray(data.AsSpan(b * dim, n * dim).ToArray(), n, dim), rng, 1.0);
            negElbo += terms.Loss.Item() * n;
            kl += terms.MeanKl * n;
        }

        return (negElbo / count, kl / count);
    }
}
