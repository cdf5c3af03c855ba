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
    [TestCase("sgemm-37x5x130", false)] // any GEMM shape by name
    [TestCase("sgemm-37x5x130-tt", false)] // transposed operands, stored as a layer's backward reads them
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
        Assert.That(root.GetProperty("alloc_bytes_per_unit").GetInt64(), Is.GreaterThanOrEqualTo(0));
        Assert.That(root.TryGetProperty("images_per_s", out _), Is.EqualTo(images));
    }

    [Test]
    public void Run_EagerStep_RunsThroughTheTapeAndReportsItsAllocation()
    {
        var (code, output, error) = Workload("vae-mlp-step", "--repeat", "2", "--warmup", "1", "--eager");

        Assert.That(code, Is.Zero, error);
        using var json = JsonDocument.Parse(output);
        // eager steps create tape nodes and tensor objects every step; a replayed captured step creates none
        Assert.That(json.RootElement.GetProperty("alloc_bytes_per_unit").GetInt64(), Is.GreaterThan(0));
    }

    [Test]
    public void Run_CallTimes_ListsTheCapturedStepsKernelsBeforeTheJsonLine()
    {
        var (code, output, error) = Workload("vae-mlp-step", "--repeat", "3", "--warmup", "1", "--call-times");

        Assert.That(code, Is.Zero, error);
        var lines = output.TrimEnd().Split('\n');
        Assert.That(lines[0], Does.StartWith("# kernel calls of the captured step, mean over 3 replays"));
        Assert.That(lines, Has.Some.Contains("GemmBiasActivation").And.Contains("m=100"), "the forward's dense layers, named with their sizes");
        Assert.That(lines, Has.Some.Contains("DenseGradients"));
        Assert.That(lines[^2], Does.StartWith("# all ").And.Contains(" calls: "));
        using var json = JsonDocument.Parse(lines[^1]);
        Assert.That(json.RootElement.GetProperty("repeats").GetInt32(), Is.EqualTo(3));

        (code, output, error) = Workload("sgemm-37x5x130", "--repeat", "1", "--warmup", "0", "--call-times");
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.StartWith("# --call-times: sgemm-37x5x130 ran no captured step"));
    }

    [Test]
    public void AnyGemmShape_HasItsNominalFlops_AndMalformedShapesAreUnknown()
    {
        Assert.That(WorkloadCatalog.Find("sgemm-37x5x130")!.Create().NominalFlops, Is.EqualTo(2.0 * 37 * 5 * 130));
        Assert.That(WorkloadCatalog.Find("sgemm-37x5x130-nt")!.Create().NominalFlops, Is.EqualTo(2.0 * 37 * 5 * 130));
        foreach (var bad in new[] { "sgemm-0x5x5", "sgemm-5x5", "sgemm-5x5x5x5", "sgemm-5x-5x5", "sgemm-ax5x5", "sgemm-", "sgemm-5x5x5-xy", "sgemm-5x5x5-nt-nt", "sgemm-5x5x5-" })
        {
            Assert.That(WorkloadCatalog.Find(bad), Is.Null, bad);
        }
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
    [TestCase("sgemm-1024", "--device", "gpu")]
    [TestCase("sgemm-1024", "--device", "opencl:x")]
    [TestCase("sgemm-1024", "--device")]
    public void Run_BadArguments_Returns2(params string[] args)
    {
        var (code, _, error) = Workload(args);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.StartWith("workload: "));
    }

    [Test]
    public void Run_OnOpenCl_TimesTheDevice()
    {
        if (Engine.Kernels.OpenCl.OpenClDevices.Enumerate(out var reason).Count == 0)
        {
            Assert.Ignore($"no OpenCL device: {reason}");
        }

        var saved = Engine.Core.Device.Default;
        try
        {
            var (code, output, error) = Workload("sgemm-100x300x300", "--repeat", "2", "--warmup", "1", "--device", "opencl");

            Assert.That(code, Is.Zero, error);
            Assert.That(Engine.Core.Device.Default, Is.InstanceOf<Engine.Kernels.OpenCl.OpenClBackend>());
            using var json = JsonDocument.Parse(output);
            Assert.That(json.RootElement.GetProperty("median_ms").GetDouble(), Is.GreaterThan(0));
        }
        finally
        {
            Engine.Core.Device.Default = saved;
        }
    }

    [Test]
    public void Run_MissingOpenClDevice_Returns3WithTheReason()
    {
        var saved = Engine.Core.Device.Default;
        try
        {
            var (code, output, error) = Workload("sgemm-100x300x300", "--device", "opencl:99");

            Assert.That(code, Is.EqualTo(WorkloadRunner.DeviceUnavailable));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.StartWith("workload: --device opencl:99: "));
        }
        finally
        {
            Engine.Core.Device.Default = saved;
        }
    }
}

public class WorkloadDefinitionTests
{
    [Test]
    public void EverySpecWorkloadName_IsInTheCatalog()
    {
        string[] names =
        [
            "sgemm-100x784x300", "sgemm-100x300x300", "sgemm-100x300x784", "sgemm-1024", "sgemm-4096",
            "vae-mlp-step", "vae-vamp-step", "vae-conv-step", "hypervae-step", "iwae50-step", "isnll-mlp", "isnll-conv", "hypernet-step",
            .. new[] { "conv-1x32", "conv-32x64", "convt-64x32", "convt-32x1" }.SelectMany(c => new[] { $"{c}-fwd", $"{c}-bwd-data", $"{c}-bwd-weight" }),
        ];
        Assert.That(names.Where(n => Engine.Benchmarks.Workload.WorkloadCatalog.Find(n) is null), Is.Empty);
    }

    [TestCase("conv-1x32-fwd", 11.29e6)]
    [TestCase("conv-32x64-fwd", 180.63e6)]
    [TestCase("convt-64x32-fwd", 180.63e6)]
    [TestCase("convt-32x1-fwd", 11.29e6)]
    public void ConvMicroBenchmarks_HaveTheSpecsNominalFlops(string name, double flops) =>
        Assert.That(Engine.Benchmarks.Workload.WorkloadCatalog.Find(name)!.Create().NominalFlops, Is.EqualTo(flops).Within(0.01e6));

    [TestCase("vae-conv-step", false)]
    [TestCase("hypervae-step", false)]
    [TestCase("vae-vamp-step", false)]
    [TestCase("vae-vamp-step", true)]
    public void StepWorkloads_Train_LossFiniteAndDecreasing(string name, bool eager)
    {
        var workload = Engine.Benchmarks.Workload.WorkloadCatalog.Find(name)!.Create();
        workload.Eager = eager;
        var losses = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            workload.Run();
            losses.Add(workload.LastLoss!.Value);
        }

        Assert.That(losses, Is.All.Matches<double>(double.IsFinite));
        Assert.That(losses[^1], Is.LessThan(losses[0]), string.Join(", ", losses));
    }
}
