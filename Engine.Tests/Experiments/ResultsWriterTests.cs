using System.Text.Json;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class ResultsWriterTests
{
    [Test]
    public void WriteAtomically_WritesTempInSameFolderThenRenames()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "results.json");
        File.WriteAllText(path, "{\"old\":true}");
        string? seenTemp = null;

        ResultsWriter.WriteAtomically(path, "{\"new\":true}", tempPath =>
        {
            seenTemp = tempPath;
            // Until the rename, readers still see the complete old file; the new one is complete beside it.
            Assert.That(File.ReadAllText(path), Is.EqualTo("{\"old\":true}"));
            Assert.That(File.ReadAllText(tempPath), Is.EqualTo("{\"new\":true}"));
        });

        Assert.That(Path.GetDirectoryName(seenTemp), Is.EqualTo(temp.Path));
        Assert.That(File.Exists(seenTemp), Is.False, "the temp file was moved, not copied");
        Assert.That(File.ReadAllText(path), Is.EqualTo("{\"new\":true}"));
        Assert.That(Directory.GetFiles(temp.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void WriteAtomically_FailureBeforeRename_LeavesOldFileAndNoTemp()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "results.json");
        File.WriteAllText(path, "old");

        Assert.Throws<InvalidOperationException>(() => ResultsWriter.WriteAtomically(path, "new", _ => throw new InvalidOperationException("crash")));

        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFiles(temp.Path), Has.Length.EqualTo(1));
    }

    [Test]
    public void Write_Report_IsValidJsonWithMetricsConfigAndMachine()
    {
        using var temp = new TempDirectory();
        var result = new ExperimentResult { Config = new { Epochs = 3, LearningRate = 1e-3 } };
        result.Add("test_neg_elbo", 99.5, "nats", "test −ELBO");
        result.Add("test_reconstruction", 90.25, "nats", "−log p(x|z)");
        result.Add("diverged", double.NaN, "nats", "a NaN must not break the file");
        result.History.Add(new EpochRecord(1, 500, 120.0, 110.0, 3.5, 2.5));
        var spec = new ExperimentSpec("toy/table1/data/variant", "a toy", [new DatasetInfo("toy", [], "")], () => throw new NotSupportedException());
        var report = new RunReport(spec, Preset.Quick, 7, DateTimeOffset.UtcNow, 1.5, result, EnvironmentInfo.Capture());

        ResultsWriter.Write(temp.Path, report);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, ResultsWriter.JsonFile)));
        var root = json.RootElement;
        Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("toy/table1/data/variant"));
        Assert.That(root.GetProperty("preset").GetString(), Is.EqualTo("quick"));
        Assert.That(root.GetProperty("seed").GetUInt64(), Is.EqualTo(7));
        Assert.That(root.GetProperty("metrics").GetProperty("test_neg_elbo").GetProperty("value").GetDouble(), Is.EqualTo(99.5));
        Assert.That(root.GetProperty("config").GetProperty("learning_rate").GetDouble(), Is.EqualTo(1e-3));
        Assert.That(root.GetProperty("history")[0].GetProperty("validation").GetDouble(), Is.EqualTo(110.0));
        Assert.That(root.GetProperty("engine").GetProperty("git_commit").GetString(), Is.Not.Empty);
        Assert.That(root.GetProperty("machine").GetProperty("cores").GetInt32(), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(File.ReadAllText(Path.Combine(temp.Path, ResultsWriter.MarkdownFile)), Does.Contain("| test −ELBO | 99.5 | nats |").And.Contain(@"| −log p(x\|z) | 90.25 | nats |"));
    }
}
