namespace Engine.Experiments.Reporting.Figures;

/// <summary>An ROC curve from (0, 0) to (1, 1), one point per distinct score threshold, and the area under it.</summary>
public sealed record RocResult(double[] FalsePositiveRate, double[] TruePositiveRate, double Auc);
