using System.Text.Json;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;
using Engine.Experiments.Training;
using Engine.Experiments.VampPrior;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

/// <summary>
/// vampprior/table1, vampprior/fig5 and iwae/table on the smoke preset through the console: the
/// shared training loop (train.csv, checkpoints, resume bit for bit) and the figures each row writes.
/// </summary>
public class VaeFamilyExperimentTests
{
    private static readonly string[] TimingMetrics = ["train_seconds", "evaluation_seconds", "is_nll_seconds"];

    /// <summary>Plays Ctrl-C once the given global training step (of the first loop to reach it) is done.</summary>
    private sealed class CancelAt(long step, CancellationTokenSource source) : ProgressLog(TextWriter.Null)
    {
        public override void Step(TrainingStatus status)
        {
            if (status.GlobalStep == step)
            {
                source.Cancel();
            }
        }
    }

    private static (int Code, string Output, string Error) Run(string[] args, ProgressLog? log = null, CancellationToken cancel = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, output, error, log, cancel);
        return (code, output.ToString(), error.ToString());
    }

    private static Dictionary<string, double> Metrics(string folder)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)));
        return json.RootElement.GetProperty("metrics").EnumerateObject()
            .Where(m => !TimingMetrics.Contains(m.Name) && !m.Name.StartsWith("train_seconds", StringComparison.Ordinal) && !m.Name.StartsWith("train_time_ratio", StringComparison.Ordinal))
            .ToDictionary(m => m.Name, m => m.Value.GetProperty("value").GetDouble());
    }

    private static void RequireData(DatasetInfo info)
    {
        if (DataDirectory.FromEnvironment(null).TryFind(info) is null)
        {
            Assert.Ignore($"{info.Name} not found (../shared/datasets, ENGINE_DATA or /usr/share/datasets); the smoke run needs it.");
        }
    }

    /// <summary>Runs <paramref name="id"/> whole, then interrupted after global step <paramref name="stopAt"/> and resumed; returns both folders.</summary>
    private static (string Full, string Resumed) FullAndResumed(TempDirectory temp, string id, long stopAt)
    {
        string[] run = ["run", id, "--preset", "smoke", "--seed", "4"];
        var full = Run([.. run, "--out", temp.Sub("full")]);
        Assert.That(full.Code, Is.EqualTo(ExitCodes.Success), full.Error);

        using var cancel = new CancellationTokenSource();
        var stopped = Run([.. run, "--out", temp.Sub("resumed")], new CancelAt(stopAt, cancel), cancel.Token);
        Assert.That(stopped.Code, Is.EqualTo(ExitCodes.Interrupted), stopped.Error);
        var resumed = Run([.. run, "--out", temp.Sub("resumed"), "--resume"]);
        Assert.That(resumed.Code, Is.EqualTo(ExitCodes.Success), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("resume: continuing from"));
        var parts = id.Split('/');
        return (Path.Combine([temp.Path, "full", .. parts]), Path.Combine([temp.Path, "resumed", .. parts]));
    }

    [Test]
    public void VampPriorRow_Smoke_ResumesBitForBit_AndWritesItsFigures()
    {
        RequireData(StaticBinarizedMnist.Info);
        using var temp = new TempDirectory();
        // Smoke: 300 images in batches of 100 = 3 steps; stop after step 2 of epoch 1.
        var (full, resumed) = FullAndResumed(temp, "vampprior/table1/static-mnist/vampprior", 2);
        Assert.That(Metrics(resumed), Is.EqualTo(Metrics(full)));
        Assert.That(File.ReadAllBytes(Path.Combine(resumed, TrainingLoop.ModelFile)), Is.EqualTo(File.ReadAllBytes(Path.Combine(full, TrainingLoop.ModelFile))));
        foreach (var file in new[] { Table1Figures.PseudoInputsFile, Table1Figures.ReconstructionsFile, Table1Figures.SamplesFile, Table1Figures.HistogramFile, "train.csv", "learning_curve.svg" })
        {
            Assert.That(File.Exists(Path.Combine(full, file)), file);
        }

        Assert.That(File.ReadAllText(Path.Combine(full, ResultsWriter.MarkdownFile)), Does.Contain($"]({Table1Figures.PseudoInputsFile})").And.Contain($"]({Table1Figures.HistogramFile})"));
        Assert.That(File.ReadAllLines(Path.Combine(full, "train.csv")), Has.Length.EqualTo(2), "a header and the one smoke epoch");
    }

    [Test]
    public void StandardPriorRow_HasNoPseudoInputFigure()
    {
        RequireData(StaticBinarizedMnist.Info);
        using var temp = new TempDirectory();
        var run = Run(["run", "vampprior/table1/static-mnist/standard", "--preset", "smoke", "--out", temp.Path]);
        Assert.That(run.Code, Is.EqualTo(ExitCodes.Success), run.Error);
        var folder = Path.Combine(temp.Path, "vampprior", "table1", "static-mnist", "standard");
        Assert.That(File.Exists(Path.Combine(folder, Table1Figures.PseudoInputsFile)), Is.False);
        Assert.That(File.Exists(Path.Combine(folder, Table1Figures.SamplesFile)));
    }

    [Test]
    public void Fig5_Smoke_TrainsOncePerK_PlotsThem_AndResumesBitForBit()
    {
        RequireData(StaticBinarizedMnist.Info);
        using var temp = new TempDirectory();
        // Stop inside the first K's training; the resumed run finishes it and trains the second K.
        var (full, resumed) = FullAndResumed(temp, "vampprior/fig5", 2);
        var metrics = Metrics(full);
        var ks = VampPriorFig5Settings.For(Preset.Smoke).Components;
        foreach (var k in ks)
        {
            Assert.That(metrics, Does.ContainKey($"test_log_likelihood_k{k}"));
            Assert.That(File.Exists(Path.Combine(full, $"k{k}", "train.csv")), $"k{k}/train.csv");
        }

        var best = ks.MaxBy(k => metrics[$"test_log_likelihood_k{k}"]);
        Assert.That(metrics["best_k"], Is.EqualTo(best));
        Assert.That(File.ReadAllLines(Path.Combine(full, VampPriorFig5.CsvFile)), Has.Length.EqualTo(ks.Count + 1));
        Assert.That(File.ReadAllText(Path.Combine(full, VampPriorFig5.ChartFile)), Does.StartWith("<svg").Or.StartWith("<?xml"));
        Assert.That(Metrics(resumed), Is.EqualTo(metrics));
    }

    [Test]
    public void IwaeRow_Smoke_TrainsThroughTheSharedLoop_AndWritesSamplesAndReconstructions()
    {
        RequireData(Mnist.Info);
        using var temp = new TempDirectory();
        // Smoke: 200 images in batches of 100 = 2 steps; stop after step 1.
        var (full, resumed) = FullAndResumed(temp, "iwae/table/2layer/iwae/k5", 1);
        Assert.That(Metrics(resumed), Is.EqualTo(Metrics(full)));
        foreach (var file in new[] { "samples.png", "reconstructions.png", "train.csv", TrainingLoop.CheckpointFile, TrainingLoop.ModelFile })
        {
            Assert.That(File.Exists(Path.Combine(full, file)), file);
        }

        // train.csv: epoch,step,train_loss,validation,… — the held-out bound is a number, not NaN.
        var validation = double.Parse(File.ReadAllLines(Path.Combine(full, "train.csv"))[1].Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(double.IsFinite(validation) && validation > 0, $"validation −L_k {validation}");
    }
}
