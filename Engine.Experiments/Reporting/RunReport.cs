namespace Engine.Experiments.Reporting;

/// <summary>Everything written for one run: which experiment, how it was run, what it returned, and where.</summary>
public sealed record RunReport(
    ExperimentSpec Spec,
    Preset Preset,
    ulong Seed,
    DateTimeOffset StartedUtc,
    double WallSeconds,
    ExperimentResult Result,
    EnvironmentInfo Environment);
