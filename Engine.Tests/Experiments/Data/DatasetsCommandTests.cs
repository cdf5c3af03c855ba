using Engine.Experiments;
using Engine.Experiments.Commands;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Integrity;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class DatasetsCommandTests
{
    private static (int Code, string Output, string Error) Console(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void Datasets_Frey_ListsFolderChecksumSplitsAndWritesAPngGrid()
    {
        if (DataDirectory.FromEnvironment(null).TryFind(FreyFaces.Info) is null)
        {
            Assert.Ignore("frey_faces is not installed here (../shared/datasets beside the repository, ENGINE_DATA or /usr/share/datasets); nothing to list.");
        }

        using var temp = new TempDirectory();
        var (code, output, error) = Console("datasets", "--only", "frey", "--out", temp.Path);

        Assert.That(code, Is.EqualTo(ExitCodes.Success), output + error);
        Assert.That(output, Does.Contain("frey_faces: Frey Faces").And.Contain("found:    ").And.Contain("checksum: verified (1 files SHA-256 OK")
            .And.Contain("splits:   train 1565, validation 200, test 200 (28×20, unlabelled"));
        var png = File.ReadAllBytes(Path.Combine(temp.Path, "frey_faces.png"));
        Assert.That(png[..8], Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
    }

    [Test]
    public void Datasets_Missing_IsReportedWithEveryPlaceSearched_NotAFailure()
    {
        using var temp = new TempDirectory();
        var resolver = new DataDirectory(Path.Combine(temp.Path, "flag"), null, [temp.Path], Path.Combine(temp.Path, "system"), new DatasetVerifier(new ChecksumCache(null)));
        var output = new StringWriter();

        var code = DatasetsCommand.Run(resolver, null, Path.Combine(temp.Path, "out"), "caltech", download: false, output);

        Assert.That(code, Is.EqualTo(ExitCodes.Success));
        Assert.That(output.ToString(), Does.Contain("found:    MISSING — dataset 'caltech101_silhouettes' not found")
            .And.Contain(Path.Combine(temp.Path, "flag", "caltech101_silhouettes")).And.Contain(Path.Combine(temp.Path, "system", "caltech101_silhouettes")));
    }

    [Test]
    public void Datasets_CorruptFile_FailsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var folder = temp.Sub("flag", "frey_faces");
        File.WriteAllBytes(Path.Combine(folder, "frey_rawface.mat"), MatFiles.File(MatFiles.UInt8("ff", Engine.Experiments.Data.Formats.MatClass.UInt8, [560, 1], new byte[560])));
        var resolver = new DataDirectory(Path.Combine(temp.Path, "flag"), null, [temp.Path], Path.Combine(temp.Path, "system"), new DatasetVerifier(new ChecksumCache(null)));
        var output = new StringWriter();

        var code = DatasetsCommand.Run(resolver, null, Path.Combine(temp.Path, "out"), "frey", download: false, output);

        Assert.That(code, Is.EqualTo(ExitCodes.Failure));
        Assert.That(output.ToString(), Does.Contain("FAILED:").And.Contain("frey_rawface.mat: SHA-256 mismatch for dataset 'frey_faces'"));
    }

    [Test]
    public void Datasets_UnknownPrefix_IsAUsageError()
    {
        var (code, _, error) = Console("datasets", "--only", "cifar");

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("no dataset id starts with 'cifar'").And.Contain("mnist"));
    }

    [Test]
    public void Datasets_DownloadWithoutATargetFolder_IsAUsageError()
    {
        if (Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable) is not null)
        {
            Assert.Ignore($"{DataDirectory.EnvironmentVariable} is set, so --download has a folder.");
        }

        var (code, _, error) = Console("datasets", "--download", "--only", "frey");

        Assert.That(code, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("--download needs a folder"));
    }
}
