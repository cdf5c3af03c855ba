using Engine.Core;
using Engine.Experiments.Data.Synthetic;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class SyntheticDataTests
{
    [Test]
    public void MixtureTasks_HaveTheSpecifiedMeansAndSpread_AndAreSeeded()
    {
        var task = GaussianMixtureTasks.Sample(new Rng(1), 4000);
        Assert.That(task.Means, Is.All.InRange(-5.0, 5.0));
        for (var k = 0; k < 2; k++)
        {
            var xs = Enumerable.Range(0, task.Count).Where(i => task.Labels[i] == k).Select(i => task.Points[2 * i]).ToArray();
            Assert.That(xs.Average(), Is.EqualTo(task.Means[2 * k]).Within(0.03));
            Assert.That(xs.Select(v => Math.Pow(v - task.Means[2 * k], 2)).Average(), Is.EqualTo(GaussianMixtureTasks.Variance).Within(0.015));
        }

        Assert.That(task.Labels.Average(), Is.EqualTo(0.5).Within(0.03));
        Assert.That(GaussianMixtureTasks.Sample(new Rng(1), 10).Points, Is.EqualTo(GaussianMixtureTasks.Sample(new Rng(1), 10).Points));
    }

    [Test]
    public void ClusterError_IgnoresWhichClusterIsCalledZero()
    {
        Assert.That(GaussianMixtureTasks.ClusterError([1, 1, 0, 0], [0, 0, 1, 1]), Is.Zero);
        Assert.That(GaussianMixtureTasks.ClusterError([0, 1, 0, 1], [0, 0, 1, 1]), Is.EqualTo(0.5));
        Assert.That(GaussianMixtureTasks.ClusterError([0, 0, 0, 1], [0, 0, 1, 1]), Is.EqualTo(0.25));
    }

    [Test]
    public void InclinedPlane_MatchesConstantAcceleration_AndSticks()
    {
        // T ≈ √(2L/a) for small dt; the Euler scheme overshoots by at most a couple of steps.
        var a = InclinedPlane.Gravity * Math.Sin(Math.PI / 4) - InclinedPlane.Gravity * 0.3 * Math.Cos(Math.PI / 4);
        Assert.That(InclinedPlane.SlideTime(10, 45, 0.3), Is.EqualTo(Math.Sqrt(20 / a)).Within(3 * InclinedPlane.Dt));
        Assert.That(InclinedPlane.SlideTime(10, 20, 0.9), Is.EqualTo(InclinedPlane.StuckTime));
        var (times, frictions) = InclinedPlane.Draw(new Rng(2), 6, 40, 100);
        Assert.That(frictions, Is.All.InRange(0.0001, 1.0));
        Assert.That(times.Length, Is.EqualTo(100));
    }

    [TestCase(ExponentialFamily.Gaussian, 1.5, 1.5)]
    [TestCase(ExponentialFamily.Exponential, 2.0, 0.5)]
    [TestCase(ExponentialFamily.Laplace, 1.0, 0.0)]
    [TestCase(ExponentialFamily.Beta, 2.0, 0.5)]
    public void ExponentialFamilies_DrawWithTheRightMean(ExponentialFamily family, double theta, double mean)
    {
        var values = ExponentialFamilies.Draw(family, theta, 50_000, new Rng(3));
        Assert.That(values.Average(), Is.EqualTo(mean).Within(0.03));
        Assert.That(ExponentialFamilies.Draw(family, theta, 5, new Rng(4)), Is.EqualTo(ExponentialFamilies.Draw(family, theta, 5, new Rng(4))));
    }
}

public class RegistryTests
{
    [Test]
    public void AnExactId_SelectsOnlyThatRow_APrefixSelectsAllBelowIt()
    {
        Assert.That(Engine.Experiments.Registry.Match("iwae/table/1layer/iwae/k5").Select(s => s.Id), Is.EqualTo(new[] { "iwae/table/1layer/iwae/k5" }));
        Assert.That(Engine.Experiments.Registry.Match("iwae/table/1layer/").Count, Is.EqualTo(6));
        Assert.That(Engine.Experiments.Registry.All.Select(s => s.Id).Distinct().Count(), Is.EqualTo(Engine.Experiments.Registry.All.Count));
    }

    [Test]
    public void PaperValues_CoverEveryIwaeRow()
    {
        foreach (var two in new[] { false, true })
        {
            foreach (var iwae in new[] { false, true })
            {
                foreach (var k in new[] { 1, 5, 50 })
                {
                    Assert.That(double.IsFinite(Engine.Experiments.Iwae.IwaeTable.Paper(two, iwae, k).Nll), $"{two} {iwae} {k}");
                }
            }
        }
    }
}
