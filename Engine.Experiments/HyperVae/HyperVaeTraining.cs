using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Experiments.Data;

namespace Engine.Experiments.HyperVae;

/// <summary>
/// The training loop of every hypervae/* row (spec hypervae §5): Adam (lr from the settings) for a
/// fixed number of iterations on the model's own batches; a history point every tenth of the run.
/// </summary>
public static class HyperVaeTraining
{
    /// <summary>Trains <paramref name="m"/> in place and returns one record per tenth of the iterations.</summary>
    public static IReadOnlyList<EpochRecord> Train(HyperVaeModel m, ImageSet train, HyperVaeSettings s, Rng rng, ProgressLog log, string what)
    {
        var clock = Stopwatch.StartNew();
        var optimizer = new Adam(m.Module.Parameters(), new AdamOptions(s.LearningRate));
        var history = new List<EpochRecord>();
        var every = Math.Max(1, s.Iterations / 10);
        var sum = 0.0;
        for (var step = 1; step <= s.Iterations; step++)
        {
            using var tape = new Tape();
            var loss = m.Step(train, step, rng);
            optimizer.ZeroGrad();
            tape.Backward(loss);
            optimizer.Step();
            var value = loss.Item();
            if (!double.IsFinite(value))
            {
                throw new ExperimentException($"{what}: loss {value} at iteration {step}.");
            }

            sum += value;
            if (step % every == 0)
            {
                var mean = sum / every;
                history.Add(new EpochRecord(step / every, step, mean, double.NaN, double.NaN, clock.Elapsed.TotalSeconds));
                log.Line($"{what}: iteration {step}/{s.Iterations}: loss {mean:F2} ({ProgressLog.Duration(clock.Elapsed.TotalSeconds)})");
                sum = 0;
            }
        }

        return history;
    }
}
