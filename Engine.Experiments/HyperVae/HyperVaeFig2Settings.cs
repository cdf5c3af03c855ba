using Engine.Models.Bayesian;
using Engine.Models.Hyper.Novelty;

namespace Engine.Experiments.HyperVae;

/// <summary>
/// Settings of hypervae/fig2/&lt;digit&gt; per preset: training as the other hypervae rows, then the
/// novelty search. paper = the spec's T = 5 steps of 300 BO evaluations (20 local EI restarts);
/// default keeps T and the 300 evaluations but refines EI from 5 starts to fit this machine;
/// quick is a pipeline check (few iterations, 40 evaluations, 3 steps).
/// </summary>
/// <param name="VaeEvaluations">budget of the VAE baseline's single search over z.</param>
public sealed record HyperVaeFig2Settings(HyperVaeSettings Training, NoveltySearchOptions Search, int VaeEvaluations)
{
    public static HyperVaeFig2Settings For(Preset preset)
    {
        var training = HyperVaeSettings.For(preset);
        var spec = NoveltySearchOptions.Spec;
        return preset switch
        {
            Preset.Smoke => new(training, spec with { Steps = 2, EvaluationsPerStep = 12, Optimizer = new BayesianOptimizerOptions(InitialPoints: 5, Candidates: 200, LocalStarts: 1, RefitEvery: 10, UnitCube: true) }, 12),
            Preset.Quick => new(training, spec with { Steps = 3, EvaluationsPerStep = 40, Optimizer = spec.Optimizer with { Candidates = 1000, LocalStarts = 3 } }, 40),
            Preset.Paper => new(training, spec, spec.EvaluationsPerStep),
            _ => new(training, spec with { Optimizer = spec.Optimizer with { LocalStarts = 5 } }, spec.EvaluationsPerStep),
        };
    }
}
