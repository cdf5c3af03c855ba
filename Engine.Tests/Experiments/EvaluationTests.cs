using Engine.Experiments.Evaluation;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class EvaluationTests
{
    [Test]
    public void Auc_IsOne_ForPerfectSeparation_AndHalf_ForIdenticalScores()
    {
        Assert.That(new RocAnalysis([0.1, 0.2, 0.8, 0.9], [false, false, true, true]).Auc, Is.EqualTo(1.0));
        Assert.That(new RocAnalysis([0.5, 0.5, 0.5, 0.5], [false, true, false, true]).Auc, Is.EqualTo(0.5));
    }

    [Test]
    public void Auc_MatchesTheCountOfCorrectlyOrderedPairs()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2];
        bool[] outlier = [false, true, false, true, false, true];
        var pairs = 0.0;
        var correct = 0.0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (outlier[i] && !outlier[j])
                {
                    pairs++;
                    correct += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        Assert.That(new RocAnalysis(scores, outlier).Auc, Is.EqualTo(correct / pairs).Within(1e-12));
    }

    [Test]
    public void YoudenAndEqualErrorThresholds_AreTheTextbookOnes()
    {
        // normals 1…6, outliers 4…9: at t = 5, FPR = 2/6 and FNR = 1/6 (Youden J = 1/2, the best).
        double[] scores = [1, 2, 3, 4, 5, 6, 4.5, 5.5, 7, 8, 9, 10];
        bool[] outlier = [.. Enumerable.Repeat(false, 6), .. Enumerable.Repeat(true, 6)];
        var roc = new RocAnalysis(scores, outlier);
        Assert.That(roc.Youden.FalsePositiveRate + roc.Youden.FalseNegativeRate, Is.EqualTo(1.0 / 3).Within(1e-12));
        Assert.That(Math.Abs(roc.EqualError.FalsePositiveRate - roc.EqualError.FalseNegativeRate), Is.LessThanOrEqualTo(1.0 / 6 + 1e-12));
    }

    [Test]
    public void LogisticRegression_SeparatesGaussianBlobs()
    {
        var random = new System.Random(1);
        double[][] Blob(int n, double cx, double cy) => Enumerable.Range(0, n).Select(_ => new[] { cx + random.NextDouble() - 0.5, cy + random.NextDouble() - 0.5 }).ToArray();
        var features = Blob(50, 0, 0).Concat(Blob(50, 3, 0)).Concat(Blob(50, 0, 3)).ToArray();
        var labels = Enumerable.Range(0, 150).Select(i => i / 50).ToArray();
        var model = LogisticRegression.Fit(features, labels, 3);
        Assert.That(model.Accuracy(features, labels), Is.EqualTo(1.0));
    }

    [Test]
    public void LogisticRegression_LearnsANoisyLinearBoundary()
    {
        // Labels from x₀ > 0.5 with label noise near the boundary: the fit must recover the boundary.
        var random = new System.Random(2);
        var features = Enumerable.Range(0, 60).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var labels = features.Select(f => f[0] + 0.3 * (random.NextDouble() - 0.5) > 0.5 ? 1 : 0).ToArray();
        var model = LogisticRegression.Fit(features, labels, 2);
        Assert.That(model.Accuracy(features, labels), Is.GreaterThan(0.7));
    }
}
