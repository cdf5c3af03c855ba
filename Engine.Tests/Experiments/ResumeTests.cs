using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Engine.Core.Serialization;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;
using Engine.Experiments.Training;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

/// <summary>The whole console on the smoke preset of vae/mnist/mlp: interrupt, resume, compare with an uninterrupted run.</summary>
public class ResumeTests
{
    private static readonly string[] TimingMetrics = ["train_seconds", "seconds_per_epoch", "test_elbo_seconds", "is_nll_seconds"];

    /// <summary>Plays Ctrl-C once the given global training step is done.</summary>
    private sealed class CancelAt(long step, CancellationTokenSource source, TextWriter writer) : ProgressLog(writer)
    {
        public override void Step(TrainingStatus status)
        {
            if (status.GlobalStep == step)
            {
                source.Cancel();
            }
        }
    }

    [SetUp]
    public void RequireMnist()
    {
        if (DataDirectory.FromEnvironment(null).TryFind(Mnist.Info) is null)
        {
            Assert.Ignore("MNIST not found (../shared/datasets/mnist, ENGINE_DATA or /usr/share/datasets); the smoke run needs it.");
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
            .Where(m => !TimingMetrics.Contains(m.Name))
            .ToDictionary(m => m.Name, m => m.Value.GetProperty("value").GetDouble());
    }

    [Test]
    public void Run_SmokePreset_InterruptedMidEpochThenResumed_MatchesTheUninterruptedRunBitForBit()
    {
        using var temp = new TempDirectory();
        string[] run = ["run", "vae/mnist/mlp", "--preset", "smoke", "--seed", "5"];
        var full = Run([.. run, "--out", temp.Sub("full")]);
        Assert.That(full.Code, Is.EqualTo(ExitCodes.Success), full.Error);

        // Smoke: 5 steps per epoch; stop after global step 7 = epoch 2, step 2.
        using var cancel = new CancellationTokenSource();
        var stopped = Run([.. run, "--out", temp.Sub("resumed")], new CancelAt(7, cancel, TextWriter.Null), cancel.Token);
        Assert.That(stopped.Code, Is.EqualTo(ExitCodes.Interrupted), stopped.Error);
        Assert.That(stopped.Error.Trim(), Does.StartWith("vae/mnist/mlp: interrupted at epoch 2, step 2/5").And.Not.Contain("\n"));
        var folder = Path.Combine(temp.Path, "resumed", "vae", "mnist", "mlp");
        Assert.That(File.Exists(Path.Combine(folder, TrainingLoop.CheckpointFile)));
        Assert.That(File.Exists(Path.Combine(folder, RunLock.FileName)), Is.False, "the lock is released on the way out");

        var resumed = Run([.. run, "--out", temp.Sub("resumed"), "--resume"]);
        Assert.That(resumed.Code, Is.EqualTo(ExitCodes.Success), resumed.Error);
        Assert.That(resumed.Output, Does.Contain("resume: continuing from").And.Contain("epoch 2, step 2 (global step 7)"));
        Assert.That(resumed.Output.TrimEnd(), Does.EndWith(Path.Combine(folder, ResultsWriter.JsonFile)), "the last line names the results");

        var expected = Path.Combine(temp.Path, "full", "vae", "mnist", "mlp");
        Assert.That(Metrics(folder), Is.EqualTo(Metrics(expected)));
        Assert.That(File.ReadAllBytes(Path.Combine(folder, TrainingLoop.ModelFile)), Is.EqualTo(File.ReadAllBytes(Path.Combine(expected, TrainingLoop.ModelFile))),
            "the exported weights are byte-identical");
        AssertExportedFiles(expected);
        Assert.That(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)), Does.Contain("\"resumed_from\": \"epoch 2, step 2 (global step 7)\""));
    }

    /// <summary>safetensors as PyTorch reads it (u64 LE header size, JSON header, raw F32 data tiling the rest), curves and figures.</summary>
    private static void AssertExportedFiles(string folder)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, TrainingLoop.ModelFile));
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        var mu = header.RootElement.GetProperty("encoder.mu.weight");
        Assert.That(mu.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(mu.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()), Is.EqualTo(new[] { 40, 300 }), "Linear weights are [out, in] as in torch.nn.Linear");
        var tensors = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToArray();
        Assert.That(tensors.Sum(t => t.Value.GetProperty("shape").EnumerateArray().Aggregate(1L, (n, d) => n * d.GetInt64())) * 4,
            Is.EqualTo(bytes.Length - 8 - headerLength));
        Assert.That(SafeTensors.Read(Path.Combine(folder, TrainingLoop.ModelFile)).Tensors.Sum(t => t.Values.Length), Is.EqualTo(688_464));

        foreach (var file in new[] { "train.csv", "learning_curve.svg", "samples.png", "reconstructions.png", "is_nll_histogram.svg", TrainingLoop.CheckpointFile })
        {
            Assert.That(File.Exists(Path.Combine(folder, file)), file);
        }

        Assert.That(File.ReadAllText(Path.Combine(folder, ResultsWriter.MarkdownFile)), Does.Contain("![learning curve](learning_curve.svg)").And.Contain("| 86.76 |"));
    }

    [Test]
    public void Run_FolderLockedByALiveRun_IsRefusedWithOneLine()
    {
        using var temp = new TempDirectory();
        var folder = Path.Combine(temp.Path, "vae", "mnist", "mlp");
        using var held = RunLock.Acquire(folder, new ProgressLog(TextWriter.Null));

        var (code, _, error) = Run(["run", "vae/mnist/mlp", "--preset", "smoke", "--out", temp.Path]);

        Assert.That(code, Is.EqualTo(ExitCodes.Locked));
        Assert.That(error.Trim(), Does.Contain("is in use by another run").And.Contain($"PID {Environment.ProcessId}").And.Not.Contain("\n"));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { RunLock.FileName }), "nothing written");
    }

    [Test]
    public void Run_TwoSeeds_WritesOneFolderPerSeed()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = Run(["run", "vae/mnist/mlp", "--preset", "smoke", "--seeds", "1,2", "--out", temp.Path]);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        foreach (var seed in new[] { 1, 2 })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "vae", "mnist", "mlp", $"seed-{seed}", ResultsWriter.JsonFile)));
            Assert.That(json.RootElement.GetProperty("seed").GetInt32(), Is.EqualTo(seed));
        }

        var report = Run(["report", "--out", temp.Path]);
        Assert.That(report.Code, Is.EqualTo(ExitCodes.Success), report.Error);
        Assert.That(report.Output, Does.Contain("| vae/mnist/mlp | smoke | 1, 2 | test IS-NLL").And.Contain(" ± "));
    }
}
