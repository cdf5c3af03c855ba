namespace Engine.Experiments.Training;

/// <summary>
/// The schedule of a <see cref="TrainingLoop"/>: epochs of <paramref name="StepsPerEpoch"/> steps,
/// each step consuming <paramref name="ItemsPerStep"/> items (for the throughput shown), a
/// validation metric after every epoch, and optional early stopping.
/// </summary>
/// <param name="Patience">Stop after this many epochs without a better validation metric and evaluate the best epoch's weights (0 = run every epoch and keep the last).</param>
/// <param name="ValidationName">How progress lines name the validation metric, e.g. "val -elbo".</param>
/// <param name="HigherIsBetter">The validation metric is maximised (accuracy) rather than minimised (−ELBO).</param>
/// <param name="MaxGradNorm">Clip the joint gradient norm to this (∞ = no clipping; the norm is still computed to catch NaN/∞).</param>
/// <param name="EarlyStoppingAfter">Early stopping is only checked after this epoch (e.g. the KL warm-up, while β &lt; 1 makes validation numbers incomparable).</param>
/// <param name="Config">The experiment's full settings; a checkpoint only resumes a run with identical settings.</param>
public sealed record TrainingOptions(
    int Epochs,
    int StepsPerEpoch,
    int ItemsPerStep,
    int Patience = 0,
    string ValidationName = "val",
    bool HigherIsBetter = false,
    string ItemName = "img",
    double MaxGradNorm = double.PositiveInfinity,
    object? Config = null,
    int EarlyStoppingAfter = 0);
