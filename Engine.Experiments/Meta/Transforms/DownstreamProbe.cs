using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using Engine.Experiments.Evaluation;

namespace Engine.Experiments.Meta.Transforms;

/// <summary>
/// The downstream test of Fig. 7 / Table 2 (spec metavae §8.1): embed every training and test
/// image of one held-out transformation value — each with a set D of N random images from the same
/// value's training (resp. test) pool, or, for NS, its own batch — then fit a multinomial L2
/// logistic regression (C = 1) on the training embeddings and score digit accuracy on the test ones.
/// </summary>
public static class DownstreamProbe
{
    /// <returns>Test accuracy, the L-BFGS iterations of the fit, and the active units of the training embeddings.</returns>
    public static (double Accuracy, int Iterations, int ActiveUnits) Score(RepresentationLearner learner, ImageSet trainPool, ImageSet testPool, TransformProbeSettings s, Rng rng)
    {
        var train = Embed(learner, trainPool, s, rng.Fork(1));
        var test = Embed(learner, testPool, s, rng.Fork(2));
        var probe = LogisticRegression.Fit(train, trainPool.Labels.Select(l => (int)l).ToArray(), classes: 10);
        return (probe.Accuracy(test, testPool.Labels.Select(l => (int)l).ToArray()), probe.Iterations, ActiveUnits(train));
    }

    /// <summary>
    /// Latent dimensions whose representation varies across images (variance &gt; 0.01, Burda et al.'s
    /// threshold): a collapsed encoder has none, and no linear probe can then read the digit.
    /// </summary>
    public static int ActiveUnits(double[][] embeddings)
    {
        var width = embeddings[0].Length;
        return Enumerable.Range(0, width).Count(d =>
        {
            var mean = embeddings.Average(e => e[d]);
            return embeddings.Average(e => (e[d] - mean) * (e[d] - mean)) > 0.01;
        });
    }

    /// <summary>Representations [Count][Z] of every image of <paramref name="pool"/>, sets drawn from the pool itself.</summary>
    public static double[][] Embed(RepresentationLearner learner, ImageSet pool, TransformProbeSettings s, Rng rng)
    {
        using var noGrad = Tape.NoGrad();
        var result = new double[pool.Count][];
        var staging = new SetBatchStaging();
        for (var start = 0; start < pool.Count; start += s.BatchSize)
        {
            using var scope = new TensorScope();
            var indices = Enumerable.Range(start, Math.Min(s.BatchSize, pool.Count - start)).ToArray();
            var x = staging.Rows(pool, indices);
            var sets = learner.BatchIsTheSet ? x : staging.Sets(pool, indices.Length, s.SetSize, rng);
            var z = learner.Embed(x, sets, rng).ToDoubleArray();
            var width = z.Length / indices.Length;
            for (var k = 0; k < indices.Length; k++)
            {
                result[start + k] = z.AsSpan(k * width, width).ToArray();
            }
        }

        return result;
    }
}
