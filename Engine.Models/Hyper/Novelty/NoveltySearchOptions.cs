using Engine.Models.Bayesian;

namespace Engine.Models.Hyper.Novelty;

/// <summary>
/// Novelty discovery by Bayesian optimisation (spec hypervae §10); every [choice] of the spec is a field.
/// </summary>
/// <param name="Steps">T, iterations of the u update (spec choice 5); a model without a task level runs one.</param>
/// <param name="EvaluationsPerStep">objective evaluations of one BO run (the seed: at most 300), initial points included.</param>
/// <param name="Bound">the search box is [−Bound, Bound] per latent dimension (the seed: 5).</param>
/// <param name="JointFirstStep">variant: step 1 searches (u, z) jointly in [−Bound, Bound]^(U+M) instead of z with u = μ(0).</param>
/// <param name="Optimizer">the BO settings (spec: Matérn-5/2 ARD on [0, 1]^d, EI, refit every 10, 10 initial points).</param>
public sealed record NoveltySearchOptions(int Steps, int EvaluationsPerStep, double Bound, bool JointFirstStep, BayesianOptimizerOptions Optimizer)
{
    /// <summary>The spec's recommended settings: T = 5 steps of 300 evaluations over [−5, 5]^10.</summary>
    public static NoveltySearchOptions Spec { get; } = new(5, 300, 5, false,
        new BayesianOptimizerOptions(InitialPoints: 10, Candidates: 2000, LocalStarts: 20, RefitEvery: 10, UnitCube: true));

    /// <summary>How the search starts and moves on: fixed by the seed's Eq. 9, recorded for results.json.</summary>
    public string InitialSummary => "d_1 = the all-zero image, u_1 = μ(d_1)";

    public string TaskLatentUpdate => "u_(t+1) = μ(x_t*), the hyper-encoder's posterior mean for the step's best image";

    public void Validate()
    {
        if (Steps < 1 || EvaluationsPerStep < 1 || !(Bound > 0))
        {
            throw new ArgumentException($"NoveltySearchOptions: need Steps ≥ 1, EvaluationsPerStep ≥ 1 and Bound > 0; got {this}.");
        }

        Optimizer.Validate();
    }
}
