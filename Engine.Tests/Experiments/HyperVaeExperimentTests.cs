using System.Text.Json;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.HyperVae;
using Engine.Experiments.Reporting;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class HyperVaeExperimentTests
{
    [Test]
    public void Registry_HasTheSixOrderedPairs_TenHeldOutDigits_AndTheDefaultTable3Rows()
    {
        var pairs = Registry.Match("hypervae/table3-pairs/").Select(s => s.Id.Split('/')).ToArray();
        Assert.That(pairs, Has.Length.EqualTo(6 * 3));
        Assert.That(pairs.Select(p => (p[2], p[3])).Distinct().Count(), Is.EqualTo(6));
        Assert.That(pairs.All(p => p[2] != p[3]), "outliers always come from another dataset");
        Assert.That(Registry.Match("hypervae/table3/").Count, Is.EqualTo(9), "the seed's Table 3 rows are unchanged");
        Assert.That(Registry.Match("hypervae/fig2/").Select(s => s.Id), Is.EqualTo(Enumerable.Range(0, 10).Select(d => $"hypervae/fig2/{d}")));

        var defaultPair = Registry.Match("hypervae/table3-pairs/mnist/omniglot/hypervae").Single();
        var otherPair = Registry.Match("hypervae/table3-pairs/mnist/fashion-mnist/metavae").Single();
        Assert.That(defaultPair.PaperValues.Select(p => p.Metric), Does.Contain("hypervae_auc"), "the default pairing carries the seed's numbers");
        Assert.That(otherPair.PaperValues, Is.Empty);
        Assert.That(otherPair.Reported, Is.EqualTo(new[] { "metavae-kl_auc", "metavae-kl_fpr", "metavae-kl_fnr", "metavae-el_auc", "metavae-el_fpr", "metavae-el_fnr" }));
    }

    [Test]
    public void WithoutClass_DropsExactlyTheHeldOutDigit()
    {
        var images = new ImageSet([0, 1, 2, 3, 4, 5, 6, 7], [3, 5, 3, 1], 2);

        var kept = HyperVaeFig2.WithoutClass(images, 3);

        Assert.That(kept.Labels, Is.EqualTo(new byte[] { 5, 1 }));
        Assert.That(kept.Pixels, Is.EqualTo(new float[] { 2, 3, 6, 7 }));
    }

    [Test]
    public void Report_ARowWithoutPaperNumbers_ShowsItsReportedMetrics()
    {
        using var temp = new TempDirectory();
        var spec = new ExperimentSpec("hypervae/fig2/3", "novelty", [], () => throw new NotSupportedException(), Table: "hypervae/fig2", Reported: ["hypervae_cosine", "vae_cosine"]);
        var result = new ExperimentResult();
        result.Add("hypervae_train_seconds", 12, "s", "HyperVAE training time");
        result.Add("hypervae_cosine", 0.75, "cosine", "HyperVAE cosine");
        result.Add("vae_cosine", 0.5, "cosine", "VAE cosine");
        ResultsWriter.Write(Path.Combine(temp.Path, spec.Id), new RunReport(spec, Preset.Quick, 1, DateTimeOffset.UtcNow, 1, result, EnvironmentInfo.Capture()));

        var (_, markdown, _) = PaperReport.Write(temp.Path);

        Assert.That(markdown, Does.Contain("| hypervae/fig2/3 | quick | 1 | HyperVAE cosine | 0.75 | — | — |"));
        Assert.That(markdown, Does.Contain("| hypervae/fig2/3 | quick | 1 | VAE cosine | 0.5 | — | — |"));
        Assert.That(markdown, Does.Not.Contain("HyperVAE training time"));
    }

    [Test]
    public void Fig2_SmokeRun_WritesTheStepGridTheSearchCurveAndBothCosines()
    {
        using var temp = new TempDirectory();
        using var json = SmokeRun(temp, "hypervae/fig2/4", out var folder, Mnist.Info);
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var name in new[] { "hypervae_cosine", "vae_cosine", "nearest_training_cosine", "hypervae_step1_cosine", "hypervae_step2_cosine" })
        {
            Assert.That(metrics.GetProperty(name).GetProperty("value").GetDouble(), Is.InRange(-1.0, 1.0), name);
        }

        Assert.That(metrics.TryGetProperty("hypervae_step3_cosine", out _), Is.False, "smoke runs two steps");
        var search = json.RootElement.GetProperty("config").GetProperty("settings").GetProperty("search");
        Assert.That(search.GetProperty("task_latent_update").GetString(), Does.Contain("μ(x_t*)"), "the spec's choices are recorded");
        Assert.That(search.GetProperty("optimizer").GetProperty("unit_cube").GetBoolean());
        Assert.That(File.Exists(Path.Combine(folder, "novelty.png")) && File.Exists(Path.Combine(folder, "search.svg")));
        Assert.That(json.RootElement.GetProperty("reported").EnumerateArray().Select(e => e.GetString()), Does.Contain("vae_cosine"));
    }

    [Test]
    public void Table3Pair_SmokeRun_TakesOutliersFromTheNamedDataset_AndWritesTheRocSvg()
    {
        using var temp = new TempDirectory();
        using var json = SmokeRun(temp, "hypervae/table3-pairs/mnist/fashion-mnist/vae", out var folder, Mnist.Info, FashionMnist.Info);
        Assert.That(json.RootElement.GetProperty("config").GetProperty("outliers").GetString(), Is.EqualTo("fashion-mnist"));
        var metrics = json.RootElement.GetProperty("metrics");
        foreach (var name in new[] { "vae_auc", "vae_fpr", "vae_fnr", "vae_eer_fpr", "vae_eer_fnr" })
        {
            Assert.That(metrics.GetProperty(name).GetProperty("value").GetDouble(), Is.InRange(0.0, 100.0), name);
        }

        Assert.That(json.RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()), Does.Contain("roc-vae.svg"));
        Assert.That(File.ReadAllText(Path.Combine(folder, "roc-vae.svg")), Does.StartWith("<svg").Or.StartWith("<?xml"));
    }

    [Test]
    public void Table3MetaVae_SmokeRun_LabelsEachScoreWithItsOwnPaperValues()
    {
        using var temp = new TempDirectory();
        using var json = SmokeRun(temp, "hypervae/table3/mnist/metavae", out _, Mnist.Info, Omniglot.Info);
        var metrics = json.RootElement.GetProperty("metrics");
        string Label(string name) => metrics.GetProperty(name).GetProperty("label").GetString()!;

        // Seed 000 Table 3, MNIST normal, MetaVAE: KL score (54.7, 47.5, 45.0), −EL score (52.2, 49.4, 50.5).
        Assert.That(Label("metavae-kl_auc"), Does.EndWith("paper 54.7"));
        Assert.That(Label("metavae-kl_fpr"), Does.EndWith("paper 47.5"));
        Assert.That(Label("metavae-el_auc"), Does.EndWith("paper 52.2"));
        Assert.That(Label("metavae-el_fpr"), Does.EndWith("paper 49.4"));
    }

    /// <summary>
    /// Runs experiment <paramref name="id"/> at the smoke preset into <paramref name="temp"/> (the test is ignored when
    /// one of <paramref name="datasets"/> is not installed), asserts it succeeded, and returns its result folder and
    /// parsed results.json.
    /// </summary>
    private static JsonDocument SmokeRun(TempDirectory temp, string id, out string folder, params DatasetInfo[] datasets)
    {
        var data = DataDirectory.FromEnvironment(null);
        if (datasets.FirstOrDefault(d => data.TryFind(d) is null) is { } missing)
        {
            Assert.Ignore($"{missing.Name} not found; the {id} smoke run needs it.");
        }

        var code = Program.Run(["run", id, "--preset", "smoke", "--out", temp.Path], new StringWriter(), new StringWriter());
        Assert.That(code, Is.EqualTo(ExitCodes.Success), id);
        folder = Path.Combine([temp.Path, .. id.Split('/')]);
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)));
    }
}
