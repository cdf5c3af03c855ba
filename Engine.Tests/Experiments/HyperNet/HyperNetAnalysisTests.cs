using Engine.Experiments.HyperNet;
using MathNet.Numerics.LinearAlgebra;
using NUnit.Framework;

namespace Engine.Tests.Experiments.HyperNet;

public class HyperNetAnalysisTests
{
    [Test]
    public void WeightPca_MatchesTheSvdOfTheCentredData()
    {
        var random = new Random(11);
        var samples = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 30).Select(j => random.NextDouble() * (j % 3 + 1)).ToArray()).ToArray();
        var (scores, ratio) = WeightPca.Compute(samples, 3);
        var mean = Enumerable.Range(0, 30).Select(j => samples.Average(s => s[j])).ToArray();
        var centred = Matrix<double>.Build.DenseOfRowArrays(samples.Select(s => s.Select((v, j) => v - mean[j]).ToArray()));
        var svd = centred.Svd(computeVectors: true);
        var total = svd.S.Sum(s => s * s);
        for (var k = 0; k < 3; k++)
        {
            Assert.That(ratio[k], Is.EqualTo(svd.S[k] * svd.S[k] / total).Within(1e-10));
            // Scores are U·S up to the sign of each component.
            var sign = Math.Sign(scores[0][k]) * Math.Sign(svd.U[0, k] * svd.S[k]);
            for (var i = 0; i < 8; i++)
            {
                Assert.That(scores[i][k], Is.EqualTo(sign * svd.U[i, k] * svd.S[k]).Within(1e-9));
            }
        }
    }

    [Test]
    public void WeightPca_PointsOnALine_HaveOneComponent()
    {
        var samples = Enumerable.Range(0, 5).Select(i => new[] { i * 1.0, i * 2.0, -i * 0.5 }).ToArray();
        var (_, ratio) = WeightPca.Compute(samples, 2);
        Assert.That(ratio[0], Is.EqualTo(1).Within(1e-12));
        Assert.That(ratio[1], Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void MajorityVote_TakesTheMostFrequentClass_TiesToTheLowerOne()
    {
        int[][] votes = [[3, 1, 7], [3, 2, 7], [5, 2, 1], [5, 1, 1]];
        Assert.That(GeneratedNets.MajorityVote(votes), Is.EqualTo(new[] { 3, 1, 1 }));
    }

    [Test]
    public void WeightPca_TooFewSamples_Throws() =>
        Assert.Throws<ArgumentException>(() => WeightPca.Compute([[1.0, 2.0]], 1));
}
