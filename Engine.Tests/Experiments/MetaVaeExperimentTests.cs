using System.Text.Json;
using System.Xml.Linq;
using Engine.Core;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;
using Engine.Experiments.Data.Transforms;
using Engine.Experiments.Meta;
using Engine.Experiments.Meta.Transforms;
using Engine.Experiments.Reporting;
using Engine.Experiments.Reporting.Figures;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class MetaVaeExperimentTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void SetSampler_DrawsDistinctItems_UnlessThePoolIsTooSmall()
    {
        var sets = SetSampler.Indices(12, 50, 10, new Rng(1));
        Assert.That(sets, Has.Length.EqualTo(50));
        Assert.That(sets.All(s => s.Length == 10 && s.Distinct().Count() == 10 && s.All(i => i is >= 0 and < 12)));

        var small = SetSampler.Indices(3, 4, 10, new Rng(2));
        Assert.That(small.All(s => s.Length == 10 && s.All(i => i is >= 0 and < 3)), "with replacement when the pool has fewer than n items");
        Assert.That(small.SelectMany(s => s).Distinct().Count(), Is.EqualTo(3));
    }

    [Test]
    public void SetSampler_Draw_CopiesTheChosenRows()
    {
        var pool = new ImageSet([0f, 0f, 1f, 1f, 2f, 2f], [0, 1, 2], 2);
        var pixels = SetSampler.Draw(pool, 2, 3, new Rng(3));
        Assert.That(pixels, Has.Length.EqualTo(2 * 3 * 2));
        for (var r = 0; r < 2; r++)
        {
            var rows = Enumerable.Range(0, 3).Select(k => pixels[(r * 3 + k) * 2]).ToArray();
            Assert.That(rows, Is.EquivalentTo(new[] { 0f, 1f, 2f }), "a set of the whole 3-item pool, without replacement");
            Assert.That(Enumerable.Range(0, 3).All(k => pixels[(r * 3 + k) * 2] == pixels[(r * 3 + k) * 2 + 1]), "whole rows are copied");
        }
    }

    [Test]
    public void SetSampler_DrawIntoABuffer_MatchesTheArrayDraw_AndRejectsAWrongLength()
    {
        var pool = new ImageSet(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), new byte[10], 2);
        var expected = SetSampler.Draw(pool, 3, 4, new Rng(5));
        var buffer = new float[3 * 4 * 2];
        SetSampler.Draw(pool, 3, 4, new Rng(5), buffer);
        Assert.That(buffer, Is.EqualTo(expected), "same generator, same draws");
        var e = Assert.Throws<ArgumentException>(() => SetSampler.Draw(pool, 3, 4, new Rng(5), new float[23]));
        Assert.That(e!.Message, Does.Contain("need 24"));
    }

    [Test]
    public void SetBatchStaging_ReusesItsBuffer_WithoutChangingEarlierTensors()
    {
        var pool = new ImageSet(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), new byte[10], 2);
        var staging = new SetBatchStaging();
        using var scope = new TensorScope();
        var sets = staging.Sets(pool, 3, 4, new Rng(5));
        var rows = staging.Rows(pool, [7, 2]);
        var larger = staging.Sets(pool, 5, 4, new Rng(6));
        Assert.That(sets.Shape, Is.EqualTo(new Shape(3, 4, 2)));
        Assert.That(sets.ToFloatArray(), Is.EqualTo(SetSampler.Draw(pool, 3, 4, new Rng(5))), "the first tensor keeps its values after the buffer is reused");
        Assert.That(rows.ToFloatArray(), Is.EqualTo(new[] { 14f, 15f, 4f, 5f }));
        Assert.That(larger.ToFloatArray(), Is.EqualTo(SetSampler.Draw(pool, 5, 4, new Rng(6))), "the buffer grows for a larger draw");
    }

    [TestCase(null, "default", false, 1.0)]
    [TestCase("reference", "reference", true, 1.0)]
    [TestCase(" Paper ", "paper", false, 0.1)]
    public void Variant_SelectsTheQuirks(string? name, string expected, bool divideByBatch, double klWeight)
    {
        var variant = MetaVaeVariant.Parse(name);
        Assert.That(variant.Name, Is.EqualTo(expected));
        Assert.That(variant.SummaryDivideByBatch, Is.EqualTo(divideByBatch));
        Assert.That(variant.KlContextWeight(10), Is.EqualTo(klWeight).Within(1e-15));
    }

    [Test]
    public void Variant_UnknownName_IsAUsageError()
    {
        var e = Assert.Throws<ExperimentException>(() => MetaVaeVariant.Parse("sloppy"));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(e.Message, Does.Contain("default, reference, paper"));
    }

    [Test]
    public void HeatMap_DrawsOneCellPerValue_FromLightToDark()
    {
        var values = new double[,] { { 0, 1, 2 }, { 3, double.NaN, 5 } };
        var root = XElement.Parse(HeatMap.Render(values, ["a", "b"], ["x", "y", "z"], new ChartOptions("t", "cols", "rows")));
        var cells = root.Descendants(Svg + "rect").Where(e => (string?)e.Attribute("class") == "cell").ToArray();
        Assert.That(cells, Has.Length.EqualTo(6));
        Assert.That((string?)cells[0].Attribute("fill"), Is.EqualTo("#ffffcc"), "the minimum is the light end");
        Assert.That((string?)cells[5].Attribute("fill"), Is.EqualTo("#081d58"), "the maximum is the dark end");
        Assert.That((string?)cells[4].Attribute("fill"), Is.EqualTo("#cccccc"), "NaN is grey");
        Assert.That(cells[1].Value, Does.Contain("a, y: 1"));
        Assert.Throws<ArgumentException>(() => HeatMap.Render(values, ["a"], ["x", "y", "z"], new ChartOptions()));
    }

    [Test]
    public void NorbRows_AreListed_AndStopAsDataUnavailable()
    {
        var norb = Registry.All.Where(s => s.Id.Contains("norb", StringComparison.Ordinal)).ToArray();
        Assert.That(norb.Select(s => s.Id), Has.Member("metavae/table2/norb-elevation").And.Member("metavae/table1/norb-lighting").And.Member("metavae/fig7/sparse/norb-azimuth"));
        Assert.That(norb.All(s => s.Datasets.Contains(SmallNorb.Info)));

        using var temp = new TempDirectory();
        var nowhere = new DataDirectory(temp.Sub("flag"), null, [temp.Path], temp.Sub("system"));
        var e = Assert.Throws<DatasetNotFoundException>(() =>
            Runner.Run("metavae/table2/norb-azimuth", Preset.Smoke, 1, nowhere, temp.Sub("out"), new ProgressLog(TextWriter.Null)));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.MissingData));
        Assert.That(e.Message, Does.Contain("data unavailable"));
    }

    [Test]
    public void Table2Rows_CarryThePapersNumbers()
    {
        var rotation = Registry.Match("metavae/table2/rotation").Single();
        Assert.That(rotation.PaperValues.Select(p => (p.Metric, p.Value)),
            Is.EquivalentTo(new[] { ("metavae_mean_acc", 0.885), ("vhe-vp_mean_acc", 0.830), ("vhe_mean_acc", 0.793) }));
    }

    [Test]
    public void Fig7Smoke_ScoresEveryHeldOutValue_ForEveryModel()
    {
        var folder = RunSmoke("metavae/fig7/sparse/scale");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)));
        var metrics = json.RootElement.GetProperty("metrics");
        var (_, unseen) = TransformedMnist.Split(TransformFamily.Scale, MetaSplit.Sparse);
        foreach (var model in new[] { "metavae", "vhe", "ns" })
        {
            var perValue = metrics.EnumerateObject().Where(p => p.Name.StartsWith($"{model}_acc_at_", StringComparison.Ordinal)).ToArray();
            Assert.That(perValue, Has.Length.EqualTo(unseen.Length), model);
            Assert.That(perValue.All(p => p.Value.GetProperty("value").GetDouble() is >= 0 and <= 1), model);
            Assert.That(Directory.Exists(Path.Combine(folder, model)), "each model trains in its own folder");
        }

        Assert.That(metrics.GetProperty("metavae_kl").GetProperty("value").GetDouble(), Is.GreaterThanOrEqualTo(0), "a KL divergence, reported for the MetaVAE");
        Assert.That(metrics.TryGetProperty("vhe_kl", out _), Is.False, "only the MetaVAE has the N(0, I) prior the KL is taken against");
        Assert.That(File.Exists(Path.Combine(folder, "accuracy_scale_sparse.svg")));
        Assert.That(json.RootElement.GetProperty("config").GetProperty("variant").GetProperty("name").GetString(), Is.EqualTo("default"));
    }

    [Test]
    public void Table1Smoke_ReportsOneDistancePerAxis()
    {
        var folder = RunSmoke("metavae/table1/shear");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)));
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var axis in new[] { "rotation", "scale", "shear" })
        {
            Assert.That(metrics.GetProperty($"distance_{axis}").GetProperty("value").GetDouble(), Is.GreaterThan(0), axis);
        }

        Assert.That(metrics.GetProperty("metavae_kl").GetProperty("value").GetDouble(), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public void MechanicsSmoke_WritesBothHeatMapsOver304Simulators()
    {
        var folder = RunSmoke("metavae/mechanics", needsMnist: false);
        foreach (var name in new[] { "metavae", "vae" })
        {
            var root = XElement.Load(Path.Combine(folder, $"mse_heatmap_{name}.svg"));
            Assert.That(root.Descendants(Svg + "rect").Count(e => (string?)e.Attribute("class") == "cell"), Is.EqualTo(19 * 16));
        }
    }

    [Test]
    public void ExpfamSmoke_ScoresHeldOutFamiliesThroughAProbe()
    {
        var folder = RunSmoke("metavae/expfam", needsMnist: false);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)));
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var family in new[] { "weibull", "laplace", "beta" })
        {
            Assert.That(double.IsFinite(metrics.GetProperty($"{family}_meta-all_mse_in_range").GetProperty("value").GetDouble()), family);
        }

        Assert.That(metrics.TryGetProperty("gaussian_vae-gaussian_mse_in_range", out _), "the one-distribution VAE is scored on its own family");
        Assert.That(File.Exists(Path.Combine(folder, "mse_beta.svg")));
    }

    private static string RunSmoke(string id, bool needsMnist = true)
    {
        var data = DataDirectory.FromEnvironment(null);
        if (needsMnist && data.TryFind(Mnist.Info) is null)
        {
            Assert.Ignore("MNIST not found (../shared/datasets/mnist, ENGINE_DATA or /usr/share/datasets); the smoke run needs it.");
        }

        var temp = Path.Combine(Path.GetTempPath(), "engine-metavae-tests", Guid.NewGuid().ToString("N"));
        var written = Runner.Run(id, Preset.Smoke, 1, data, temp, new ProgressLog(TextWriter.Null));
        return written.Single();
    }
}

public class DownstreamProbeTests
{
    [Test]
    public void PosteriorKl_NotesOnlyACollapsedPosterior()
    {
        Assert.That(Engine.Experiments.Meta.Transforms.PosteriorKl.Note(0.06), Does.Contain("KL 0.060 nats"));
        Assert.That(Engine.Experiments.Meta.Transforms.PosteriorKl.Note(3.3), Is.Null);
    }

    [Test]
    public void ActiveUnits_CountsOnlyDimensionsThatVary()
    {
        double[][] embeddings = [[0, 5, 1], [1, 5, 1.01], [2, 5, 0.99], [-1, 5, 1]];
        Assert.That(Engine.Experiments.Meta.Transforms.DownstreamProbe.ActiveUnits(embeddings), Is.EqualTo(1));
    }
}
