using System.Text.Json;
using Engine.Benchmarks.Workload;
using NUnit.Framework;

namespace Engine.Tests.Benchmarks;

public class WorkloadRunnerTests
{
    private static (int Code, string Output, string Error) Workload(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        return (WorkloadRunner.Run(args, output, error), output.ToString(), error.ToString());
    }

    [TestCase("sgemm-100x300x300", false)]
    [TestCase("vae-mlp-step", false)]
    public void Run_KnownWorkload_PrintsOneJsonLine(string name, bool images)
    {
        var (code, output, error) = Workload(name, "--repeat", "3", "--warmup", "1");

        Assert.That(code, Is.Zero, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1));
        using var json = JsonDocument.Parse(lines[0]);
        var root = json.RootElement;
        Assert.That(root.GetProperty("workload").GetString(), Is.EqualTo(name));
        Assert.That(root.GetProperty("repeats").GetInt32(), Is.EqualTo(3));
        Assert.That(root.GetProperty("min_ms").GetDouble(), Is.LessThanOrEqualTo(root.GetProperty("median_ms").GetDouble()));
        Assert.That(root.GetProperty("median_ms").GetDouble(), Is.LessThanOrEqualTo(root.GetProperty("max_ms").GetDouble()));
        Assert.That(root.GetProperty("gflops").GetDouble(), Is.GreaterThan(0));
        Assert.That(root.TryGetProperty("images_per_s", out _), Is.EqualTo(images));
    }

    [Test]
    public void Run_UnknownWorkload_ListsKnownOnesAndReturns2()
    {
        var (code, output, error) = Workload("sgemm-7");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("unknown workload 'sgemm-7'").And.Contain("sgemm-1024").And.Contain("vae-mlp-step"));
    }

    [TestCase("sgemm-1024", "--repeat")]
    [TestCase("sgemm-1024", "--repeat", "0")]
    [TestCase("sgemm-1024", "--fast", "1")]
    [TestCase("--repeat", "2")]
    public void Run_BadArguments_Returns2(params string[] args)
    {
        var (code, _, error) = Workload(args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("workload: "));
    }
}
