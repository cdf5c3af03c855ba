namespace Engine.Experiments.Evaluation;

/// <summary>An operating point: threshold t flags scores ≥ t as outliers.</summary>
public sealed record OperatingPoint(double Threshold, double FalsePositiveRate, double FalseNegativeRate);

/// <summary>
/// ROC analysis of outlier scores (spec hypervae §7): higher score = more anomalous; positives are
/// the outliers. AUC by the Mann–Whitney statistic (ties count ½); FPR/FNR at the Youden threshold
/// (max TPR − FPR) and at the equal-error threshold (FPR closest to FNR).
/// </summary>
public sealed class RocAnalysis
{
    public RocAnalysis(IReadOnlyList<double> scores, IReadOnlyList<bool> isOutlier)
    {
        if (scores.Count != isOutlier.Count || scores.Count == 0)
        {
            throw new ArgumentException($"RocAnalysis: {scores.Count} scores for {isOutlier.Count} labels.");
        }

        var positives = isOutlier.Count(o => o);
        var negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"RocAnalysis: needs both classes, got {positives} outliers and {negatives} normal points.");
        }

        if (scores.Any(s => !double.IsFinite(s)))
        {
            throw new ArgumentException("RocAnalysis: a score is NaN or infinite.");
        }

        // Sweep thresholds from high to low over the distinct scores.
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var curve = new List<(double Fpr, double Tpr, double Threshold)> { (0, 0, double.PositiveInfinity) };
        int tp = 0, fp = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (isOutlier[order[i]])
            {
                tp++;
            }
            else
            {
                fp++;
            }

            if (i == order.Length - 1 || scores[order[i + 1]] != scores[order[i]])
            {
                curve.Add(((double)fp / negatives, (double)tp / positives, scores[order[i]]));
            }
        }

        Curve = curve;
        Auc = MannWhitneyAuc(scores, isOutlier, positives, negatives);
        var youden = curve.Skip(1).MaxBy(p => p.Tpr - p.Fpr);
        Youden = new OperatingPoint(youden.Threshold, youden.Fpr, 1 - youden.Tpr);
        var equalError = curve.Skip(1).MinBy(p => Math.Abs(p.Fpr - (1 - p.Tpr)));
        EqualError = new OperatingPoint(equalError.Threshold, equalError.Fpr, 1 - equalError.Tpr);
    }

    /// <summary>(FPR, TPR, threshold) from (0, 0) to (1, 1).</summary>
    public IReadOnlyList<(double Fpr, double Tpr, double Threshold)> Curve { get; }

    public double Auc { get; }

    public OperatingPoint Youden { get; }

    public OperatingPoint EqualError { get; }

    private static double MannWhitneyAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> isOutlier, int positives, int negatives)
    {
        // Average ranks (ties share their mean rank) → U = R₊ − n₊(n₊+1)/2, AUC = U/(n₊n₋).
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Count];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            for (var t = i; t <= j; t++)
            {
                ranks[order[t]] = (i + j) / 2.0 + 1;
            }

            i = j + 1;
        }

        var positiveRanks = Enumerable.Range(0, scores.Count).Where(i => isOutlier[i]).Sum(i => ranks[i]);
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
