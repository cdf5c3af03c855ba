namespace Engine.Experiments.Training;

/// <summary>
/// What a <see cref="TrainingLoop"/> did: epochs run, the epoch whose weights the model now holds
/// and their validation metric, steps, training time (summed over resumed parts), the per-epoch
/// history, where it resumed from (null for an uninterrupted run) and the files it wrote.
/// </summary>
public sealed record TrainingOutcome(
    int Epochs,
    int EvaluatedEpoch,
    double EvaluatedValidation,
    long Steps,
    double TrainSeconds,
    bool EarlyStopped,
    IReadOnlyList<EpochRecord> History,
    string? ResumedFrom,
    IReadOnlyList<string> Files);
