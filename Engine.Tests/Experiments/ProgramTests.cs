using System.Text.Json;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class ProgramTests
{
    private static (int Code, string Output, string Error) Console(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string OneLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), $"expected one line on stderr, got:\n{text}");
        return lines[0];
    }

    [Test]
    public void List_NamesTheMlpVaeExperiment()
    {
        var (code, output, error) = Console("list");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.Contain("vae/mnist/mlp"));
        Assert.That(output, Does.Contain("[data mnist: "));
    }

    [Test]
    public void Run_UnknownId_ExitsNonZeroWithOneClearLine()
    {
        var (code, output, error) = Console("run", "no/such/experiment", "--preset", "smoke");

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(OneLine(error), Does.Contain("unknown experiment 'no/such/experiment'").And.Contain("vae/mnist/mlp"));
        Assert.That(output, Is.Empty);
    }

    [TestCase("--bogus", "--bogus")]
    [TestCase("--preset", "huge", "unknown preset 'huge'")]
    [TestCase("--seed", "minus-one", "minus-one")]
    [TestCase("--threads", "-3", "--threads")]
    [TestCase("--seeds", "1,x", "comma-separated non-negative integers")]
    [TestCase("--seeds", "2,2", "lists seed 2 twice")]
    [TestCase("--device", "gpu", "unknown --device 'gpu'")]
    [TestCase("--device", "opencl:x", "unknown --device 'opencl:x'")]
    [TestCase("--checkpoint-minutes", "-1", "--checkpoint-minutes must be 0 or positive")]
    [TestCase("--resume", "please", "please")]
    public void Run_BadFlag_ExitsWithUsageAndOneLine(string flag, string valueOrExpected, string? expected = null)
    {
        string[] args = expected is null ? ["run", "vae", flag] : ["run", "vae", flag, valueOrExpected];

        var (code, _, error) = Console(args);

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(OneLine(error), Does.Contain(expected ?? valueOrExpected));
    }

    [Test]
    public void Run_SeedAndSeedsTogether_ExitsWithUsageAndOneLine()
    {
        var (code, _, error) = Console("run", "vae", "--seed", "1", "--seeds", "2,3");

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(OneLine(error), Does.Contain("--seed and --seeds cannot be combined"));
    }

    [Test]
    public void Run_MissingOpenClDevice_ExitsWithUsageAndTheReason()
    {
        var (code, _, error) = Console("run", "vae", "--device", "opencl:99", "--preset", "smoke");

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(OneLine(error), Does.Contain("--device opencl:99").And.Contain("see `devices`"));
    }

    [Test]
    public void List_Prefix_FiltersAndAnUnknownPrefixIsAUsageError()
    {
        Assert.That(Console("list", "vae/").Output, Does.Contain("vae/mnist/mlp").And.Contain("[table vae/mnist]"));

        var (code, _, error) = Console("list", "nosuch/");
        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(OneLine(error), Does.Contain("no experiment id starts with 'nosuch/'"));
    }

    [Test]
    public void Devices_ListsTheCpuAndOpenClOrWhyThereIsNone()
    {
        var (code, output, error) = Console("devices");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.StartWith("cpu "));
        // each OpenCL device with its --device value ("opencl:0 …"), or one line with the reason none was found
        Assert.That(output, Does.Match(@"(?m)^(opencl:\d+ .+|opencl +none: .+)$"));
    }

    [TestCase("list")]
    [TestCase("run")]
    [TestCase("report")]
    [TestCase("devices")]
    public void Help_OnEachCommand_DescribesItsOptions(string command)
    {
        var (code, output, error) = Console(command, "--help");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.Contain("Usage:").And.Contain(command));
    }

    [Test]
    public void Runner_MissingDataset_ThrowsWithExitCodeForMissingData()
    {
        using var temp = new TempDirectory();
        var nowhere = new DataDirectory(temp.Sub("flag"), null, [temp.Path], temp.Sub("system"));

        var e = Assert.Throws<DatasetNotFoundException>(() =>
            Runner.Run("vae/mnist", Preset.Smoke, 1, nowhere, temp.Sub("out"), new ProgressLog(TextWriter.Null)));

        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.MissingData));
        Assert.That(e.Message, Does.Contain("dataset 'mnist' not found").And.Contain(Path.Combine(temp.Path, "flag", "mnist")));
        Assert.That(Directory.GetFileSystemEntries(temp.Sub("out")), Is.Empty, "nothing written before the data check");
    }

    [Test]
    public void Runner_PrefixWithSomeRowsMissingData_SkipsThoseRowsWithTheReason()
    {
        var data = DataDirectory.FromEnvironment(null);
        if (data.TryFind(Mnist.Info) is null)
        {
            Assert.Ignore("MNIST not found");
        }

        var lines = new StringWriter();
        var runnable = Runner.WithData(Registry.Match("metavae/table2"), data, new ProgressLog(lines));

        Assert.That(runnable.Select(s => s.Id), Is.EquivalentTo(new[] { "metavae/table2/rotation", "metavae/table2/scale", "metavae/table2/shear" }));
        Assert.That(lines.ToString(), Does.Contain("skipped metavae/table2/norb-azimuth: ").And.Contain("data unavailable"));
        var e = Assert.Throws<DatasetNotFoundException>(() => Runner.WithData(Registry.Match("metavae/table2/norb"), data, new ProgressLog(TextWriter.Null)));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.MissingData));
    }

    [Test]
    public void Run_SmokePreset_TrainsAndWritesResults()
    {
        if (DataDirectory.FromEnvironment(null).TryFind(Mnist.Info) is null)
        {
            Assert.Ignore("MNIST not found (../shared/datasets/mnist, ENGINE_DATA or /usr/share/datasets); the smoke run needs it.");
        }

        using var temp = new TempDirectory();
        var (code, output, error) = Console("run", "vae/mnist/mlp", "--preset", "smoke", "--out", temp.Path, "--seed", "3");

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
        Assert.That(output, Does.Contain("epoch    4/4"));
        var folder = Path.Combine(temp.Path, "vae", "mnist", "mlp");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, ResultsWriter.JsonFile)));
        var metrics = json.RootElement.GetProperty("metrics");
        var untrained = metrics.GetProperty("test_neg_elbo_untrained").GetProperty("value").GetDouble();
        var trained = metrics.GetProperty("test_neg_elbo").GetProperty("value").GetDouble();
        Assert.That(untrained, Is.InRange(500, 600), "an untrained Bernoulli decoder scores about 784·log 2 = 543 nats");
        Assert.That(trained, Is.LessThan(untrained - 100), "20 Adam steps already pay off");
        Assert.That(json.RootElement.GetProperty("seed").GetUInt64(), Is.EqualTo(3));
        Assert.That(json.RootElement.GetProperty("config").GetProperty("batch_size").GetInt32(), Is.EqualTo(100));
        Assert.That(File.Exists(Path.Combine(folder, ResultsWriter.MarkdownFile)));
    }
}
