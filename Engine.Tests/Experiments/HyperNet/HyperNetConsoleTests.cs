using System.Text.Json;
using Engine.Experiments;
using NUnit.Framework;

namespace Engine.Tests.Experiments.HyperNet;

public class HyperNetConsoleTests
{
    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        return (Program.Run(args, new StringWriter(), error), error.ToString());
    }

    [Test]
    public void Toy_SmokePreset_WritesItsMetricsAndFigures()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "hn-toy-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, error) = Run("run", "hypernet/toy", "--preset", "smoke", "--out", outDir);
            Assert.That(code, Is.EqualTo(ExitCodes.Success), error);
            var folder = Path.Combine(outDir, "hypernet", "toy");
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
            Assert.That(json.RootElement.GetRawText(), Does.Contain("peaks_visited").And.Contain("spacing_score_correlation"));
            Assert.That(File.Exists(Path.Combine(folder, "toy_path.svg")), Is.True);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [Test]
    public void CifarLenet_WithoutCifar10_ReportsTheDatasetMissing()
    {
        var empty = Path.Combine(Path.GetTempPath(), "hn-nodata-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            var (code, error) = Run("run", "hypernet/cifar/lenet", "--preset", "smoke", "--data", empty, "--out", empty);
            Assert.That(code, Is.Not.EqualTo(ExitCodes.Success));
            Assert.That(error, Does.Contain("cifar10"));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
