using Engine.Core;
using Engine.Kernels;
using Engine.Models.HyperNet;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Models;

public class HyperNetPartsTests
{
    [Test]
    public void DebiasedBatchNorm_AfterTrainingSteps_EvaluatesWithTheWeightedMeanOfBatchStatistics()
    {
        var bn = new DebiasedBatchNorm("bn", 2, momentum: 0.02, eps: 0, DType.Float64);
        double[][] batches = [[1, 10, 3, 14], [5, -2, 9, 2]]; // [2 rows, 2 features] each: means (2, 12), (7, 0)
        foreach (var b in batches)
        {
            bn.Forward(Seeds.Leaf(b, [2, 2], false));
        }

        bn.Eval();
        // Zero-debiased EMA of two steps with decay 0.98: weights 0.98 and 1 over (0.98 + 1).
        double Ema(double first, double second) => (0.98 * 0.02 * first + 0.02 * second) / (1 - 0.98 * 0.98);
        var mean = new[] { Ema(2, 7), Ema(12, 0) };
        var variance = new[] { Ema(2, 8), Ema(8, 8) }; // unbiased variances of each batch's columns
        var y = bn.Forward(Seeds.Leaf([0.5, 3.0], [1, 2], false)).ToDoubleArray();
        Assert.That(y[0], Is.EqualTo((0.5 - mean[0]) / Math.Sqrt(variance[0])).Within(1e-12));
        Assert.That(y[1], Is.EqualTo((3.0 - mean[1]) / Math.Sqrt(variance[1])).Within(1e-12));
        Assert.That(bn.Steps, Is.EqualTo(2));
    }

    [Test]
    public void DebiasedBatchNorm_EvaluationBeforeTraining_Throws()
    {
        var bn = new DebiasedBatchNorm("bn", 3, 0.02, 1e-7, DType.Float64);
        bn.Eval();
        Assert.Throws<InvalidOperationException>(() => bn.Forward(Seeds.Randn(1, [2, 3], requiresGrad: false)));
    }

    [Test]
    public void GradCheck_DebiasedBatchNorm_TrainingMode()
    {
        var bn = new DebiasedBatchNorm("bn", 3, 0.02, 1e-7, DType.Float64);
        GradCheck.Check(t => Ops.Sum(Ops.Mul(bn.Forward(t[0]), t[1])), Seeds.Randn(2, [5, 3]), Seeds.Randn(3, [5, 3], requiresGrad: false));
    }

    [Test]
    public void ToyMixtureScore_TensorAndScalarForms_Agree()
    {
        var score = new ToyMixtureScore(new Rng(4));
        var points = Seeds.Uniform(5, [6, 2], -6, 6, requiresGrad: false);
        var f = score.Forward(points).ToDoubleArray();
        var p = points.ToDoubleArray();
        for (var i = 0; i < 6; i++)
        {
            Assert.That(f[i], Is.EqualTo(score.At(p[2 * i], p[2 * i + 1])).Within(1e-12));
        }

        // At a centre the score is at least that peak's height p_k·2π s_k².
        Assert.That(score.At(score.Means[0][0], score.Means[0][1]), Is.GreaterThanOrEqualTo(score.Weights[0] * 2 * Math.PI * score.Widths[0] * score.Widths[0]));
    }

    [Test]
    public void GradCheck_ToyGeneratorLoss_Direction()
    {
        var model = new ToyGenerator(new Rng(6), DType.Float64);
        var score = new ToyMixtureScore(new Rng(7));
        var z = Seeds.Uniform(8, [5, 1], -1, 1, requiresGrad: false);
        GradCheck.CheckDirection(_ => model.Loss(z, score).Loss, model.Parameters().ToArray());
    }

    [Test]
    public void TargetWeightsCombine_IsTheWeightedSumOfEveryPart()
    {
        var model = new MnistHyperNetwork(new HyperNetOptions(), new Rng(9), DType.Float64);
        using var noGrad = Tape.NoGrad();
        var nets = model.Generate(model.SampleNoise(2, new Rng(10), DType.Float64));
        var (a, b) = (nets.Single(0), nets.Single(1));
        var mixed = TargetWeights.Combine([(a, 0.25), (b, 0.75)]).Flatten().ToDoubleArray();
        var (fa, fb) = (a.Flatten().ToDoubleArray(), b.Flatten().ToDoubleArray());
        Assert.That(mixed, Is.EqualTo(fa.Zip(fb, (x, y) => 0.25 * x + 0.75 * y).ToArray()).Within(1e-12));
    }
}
