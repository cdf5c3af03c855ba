using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Reporting;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class PaperReportTests
{
    private static readonly ExperimentSpec Vamp = new("vampprior/table1/mnist/standard", "VAE, standard prior", [], () => throw new NotSupportedException(),
        Table: "vampprior/table1", Paper: [new PaperValue("test_is_nll", 88.56, "Tomczak & Welling 2018, Table 1")]);

    private static readonly ExperimentSpec Other = new("toy/figure2/xor", "no paper number", [], () => throw new NotSupportedException());

    private static void Finished(string outRoot, ExperimentSpec spec, ulong seed, double isNll, string folderSuffix = "")
    {
        var result = new ExperimentResult();
        result.Add("test_is_nll", isNll, "nats", "test IS-NLL (S=100)");
        result.Add("epochs", 8, "epochs", "epochs trained");
        var report = new RunReport(spec, Preset.Quick, seed, DateTimeOffset.UtcNow, 1, result, EnvironmentInfo.Capture());
        ResultsWriter.Write(Path.Combine(outRoot, spec.Id, $"seed-{seed}{folderSuffix}"), report);
    }

    [Test]
    public void Report_TwoSeedsOfOneRow_ShowsMeanStdBesideThePaperAndTheDifference()
    {
        using var temp = new TempDirectory();
        Finished(temp.Path, Vamp, 1, 90.0);
        Finished(temp.Path, Vamp, 2, 92.0);

        var (path, markdown, skipped) = PaperReport.Write(temp.Path);

        Assert.That(skipped, Is.Empty);
        Assert.That(path, Is.EqualTo(Path.Combine(temp.Path, PaperReport.FileName)));
        Assert.That(File.ReadAllText(path), Is.EqualTo(markdown));
        var lines = markdown.Split('\n');
        Assert.That(lines, Does.Contain("## vampprior/table1"));
        Assert.That(lines, Does.Contain("| experiment | preset | seeds | metric | ours | paper | ours − paper |"));
        // mean 91, sample std √2 = 1.41, 91 − 88.56 = +2.44
        Assert.That(lines, Does.Contain("| vampprior/table1/mnist/standard | quick | 1, 2 | test IS-NLL (S=100) | 91.00 ± 1.41 | 88.56 | +2.44 |"));
        Assert.That(lines, Does.Contain("- vampprior/table1/mnist/standard, test_is_nll: Tomczak & Welling 2018, Table 1"));
    }

    [Test]
    public void Report_RowsOfTwoTables_GetOneTableEach_AndARowWithoutPaperShowsDashes()
    {
        using var temp = new TempDirectory();
        Finished(temp.Path, Vamp, 1, 90.0);
        Finished(temp.Path, Other, 3, 0.5);

        var error = new StringWriter();
        var code = Program.Run(["report", "--out", temp.Path], new StringWriter(), error);
        var markdown = File.ReadAllText(Path.Combine(temp.Path, PaperReport.FileName));

        Assert.That(code, Is.EqualTo(ExitCodes.Success), error.ToString());
        var (toy, vamp) = (markdown.IndexOf("## toy/figure2", StringComparison.Ordinal), markdown.IndexOf("## vampprior/table1", StringComparison.Ordinal));
        Assert.That(toy, Is.GreaterThan(0).And.LessThan(vamp), "one table per paper table, in key order");
        Assert.That(markdown, Does.Contain("| vampprior/table1/mnist/standard | quick | 1 | test IS-NLL (S=100) | 90.00 | 88.56 | +1.44 |"));
        Assert.That(markdown, Does.Contain("| toy/figure2/xor | quick | 3 | test IS-NLL (S=100) | 0.5 | — | — |"));
    }

    [Test]
    public void Report_NoResults_ExitsNonZeroWithOneLine()
    {
        using var temp = new TempDirectory();
        var error = new StringWriter();

        var code = Program.Run(["report", "--out", temp.Path], new StringWriter(), error);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(error.ToString().Trim(), Does.StartWith("error: no finished runs").And.Not.Contain("\n"));
    }

    [Test]
    public void MeanStd_UsesTheSampleStandardDeviation_AndIgnoresNaN()
    {
        Assert.That(PaperReport.MeanStd([1, 2, 3, 4]), Is.EqualTo((2.5, Math.Sqrt(5.0 / 3))));
        Assert.That(PaperReport.MeanStd([7, double.NaN]), Is.EqualTo((7.0, 0.0)));
        Assert.That(double.IsNaN(PaperReport.MeanStd([double.NaN]).Mean));
    }
}
