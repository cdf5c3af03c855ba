using Engine.Models.Bayesian;

namespace Engine.Models.Hyper.Novelty;

/// <summary>
/// Novelty discovery (HyperVAE seed Eq. 9, spec hypervae §10): maximise the cosine similarity to an
/// unseen target by Bayesian optimisation over z, then move the task latent to the posterior mean of
/// the best image, u_{t+1} = μ(x_t*), so the next step searches a network generated for that image.
/// A model without a task level gets one step over z.
/// </summary>
public static class NoveltySearch
{
    public static IReadOnlyList<NoveltyStep> Run(INoveltyGenerator generator, float[] target, NoveltySearchOptions options, int seed, Action<NoveltyStep>? progress = null)
    {
        options.Validate();
        if (target.Length != generator.Pixels)
        {
            throw new ArgumentException($"NoveltySearch: the target has {target.Length} pixels, the generator makes {generator.Pixels}.");
        }

        _ = CosineSimilarity.Of(target, target); // rejects an all-zero target before any search
        var iterative = generator.TaskLatents > 0;
        var u = iterative ? generator.TaskLatentOf(new float[target.Length]) : [];
        var steps = new List<NoveltyStep>();
        for (var t = 1; t <= (iterative ? options.Steps : 1); t++)
        {
            var step = t == 1 && iterative && options.JointFirstStep
                ? SearchJointly(generator, target, options, seed + t)
                : SearchLatent(generator, u, target, options, seed + t, t);
            steps.Add(step);
            progress?.Invoke(step);
            if (iterative)
            {
                u = NextTaskLatent(generator, step);
            }
        }

        return steps;
    }

    /// <summary>The u update of Eq. 9: the posterior mean of q(u|d) with the step's best image as d.</summary>
    public static double[] NextTaskLatent(INoveltyGenerator generator, NoveltyStep step) => generator.TaskLatentOf(step.Image);

    /// <summary>z* = argmax_z F(decoder_θ(u)(z)) over [−B, B]^M with θ = g(u) generated once.</summary>
    public static NoveltyStep SearchLatent(INoveltyGenerator generator, double[] taskLatent, float[] target, NoveltySearchOptions options, int seed, int step)
    {
        var decode = generator.DecoderFor(taskLatent);
        var bo = Optimizer(generator.DataLatents, options, seed);
        var best = bo.Minimize(z => -CosineSimilarity.Of(decode(z), target), options.EvaluationsPerStep);
        var image = decode(best.Point);
        return new NoveltyStep(step, taskLatent, best.Point, image, CosineSimilarity.Of(image, target), BestSoFar(bo));
    }

    /// <summary>The joint variant of step 1: (u, z)* = argmax F(decoder_g(u)(z)) over [−B, B]^(U+M).</summary>
    public static NoveltyStep SearchJointly(INoveltyGenerator generator, float[] target, NoveltySearchOptions options, int seed)
    {
        var (uDim, zDim) = (generator.TaskLatents, generator.DataLatents);
        float[] Image(double[] p) => generator.DecoderFor(p[..uDim])(p[uDim..]);
        var bo = Optimizer(uDim + zDim, options, seed);
        var best = bo.Minimize(p => -CosineSimilarity.Of(Image(p), target), options.EvaluationsPerStep);
        var image = Image(best.Point);
        return new NoveltyStep(1, best.Point[..uDim], best.Point[uDim..], image, CosineSimilarity.Of(image, target), BestSoFar(bo));
    }

    private static BayesianOptimizer Optimizer(int dimensions, NoveltySearchOptions options, int seed) =>
        new(Enumerable.Repeat(-options.Bound, dimensions).ToArray(), Enumerable.Repeat(options.Bound, dimensions).ToArray(), seed, options.Optimizer);

    private static double[] BestSoFar(BayesianOptimizer bo)
    {
        var best = double.NegativeInfinity;
        return bo.History.Select(e => best = Math.Max(best, -e.Value)).ToArray();
    }
}
