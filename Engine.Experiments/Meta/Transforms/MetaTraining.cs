using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using Engine.Experiments.Training;

namespace Engine.Experiments.Meta.Transforms;

/// <summary>
/// The MI repo's MetaAgent loop (spec metavae §3) through the shared <see cref="TrainingLoop"/>: at
/// each step, the same shuffled mini-batch of image indices from every meta-training dataset (the
/// datasets are aligned transformed copies), a fresh context set per image from that dataset's
/// training images, one Adam step on the mean loss. After each epoch the summed validation loss
/// over the datasets' test images (sets from the test images) picks the epoch whose weights are
/// kept. Each model trains in its own sub-folder (train.csv, learning curve, checkpoints, resume).
/// </summary>
public static class MetaTraining
{
    public static TrainingOutcome Train(RunContext context, RepresentationLearner learner, ImageSet[] train, ImageSet[] validation,
        TransformProbeSettings s, Rng rng, object config)
    {
        var folder = Path.Combine(context.OutDirectory, learner.Kind);
        Directory.CreateDirectory(folder);
        var sub = new RunContext(context.Seed, context.Preset, context.Data, folder, context.Log)
        {
            Id = $"{context.Id}/{learner.Kind}",
            Resume = context.Resume,
            CheckpointInterval = context.CheckpointInterval,
            Cancellation = context.Cancellation,
        };
        var count = train[0].Count;
        var batches = new ShuffledBatches(count, s.BatchSize, rng.Fork(1), dropLast: true);
        var setRng = rng.Fork(2);
        var noise = rng.Fork(3);
        var optimizer = new Adam(learner.Module.Parameters(), new AdamOptions(s.LearningRate));
        var loop = new TrainingLoop(sub, learner.Module, optimizer, new TrainingOptions(
            s.Epochs, batches.BatchesPerEpoch, s.BatchSize * train.Length, Patience: Math.Max(1, s.Epochs),
            ValidationName: "val loss (sum over datasets)", Config: config));
        loop.Track("sets", setRng);
        loop.Track("noise", noise);
        int[][] order = [];
        var staging = new SetBatchStaging();
        var outcome = loop.Run(
            epoch => order = batches.Epoch(epoch).ToArray(),
            (_, step) =>
            {
                var indices = order[step];
                var x = train.Select(d => staging.Rows(d, indices)).ToArray();
                var sets = train.Select(d => staging.Sets(d, indices.Length, s.SetSize, setRng)).ToArray();
                return learner.Loss(x, sets, noise);
            },
            _ => Validate(learner, validation, s, rng.Fork(4)));
        return outcome with { Files = outcome.Files.Select(f => Path.Combine(learner.Kind, f)).ToArray() };
    }

    /// <summary>Σ over datasets of the mean per-datum loss on its validation images (fixed sets and noise, so epochs compare).</summary>
    private static double Validate(RepresentationLearner learner, ImageSet[] validation, TransformProbeSettings s, Rng rng)
    {
        using var noGrad = Tape.NoGrad();
        var total = 0.0;
        var staging = new SetBatchStaging();
        for (var start = 0; start + s.BatchSize <= validation[0].Count; start += s.BatchSize)
        {
            using var scope = new TensorScope();
            var indices = Enumerable.Range(start, s.BatchSize).ToArray();
            var x = validation.Select(d => staging.Rows(d, indices)).ToArray();
            var sets = validation.Select(d => staging.Sets(d, indices.Length, s.SetSize, rng)).ToArray();
            total += learner.Loss(x, sets, rng).Item() * validation.Length * s.BatchSize;
        }

        return total / Math.Max(1, validation[0].Count / s.BatchSize * s.BatchSize);
    }
}
