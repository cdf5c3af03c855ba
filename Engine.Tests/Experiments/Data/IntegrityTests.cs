using System.Security.Cryptography;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Integrity;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class IntegrityTests
{
    private static readonly byte[] Good = "the good file's bytes"u8.ToArray();
    private static readonly byte[] Other = "some other bytes!!!!!"u8.ToArray(); // same length as Good

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static DatasetInfo Toy(IReadOnlyList<RemoteFile>? sources = null) => new(
        "toy",
        [["a.bin.gz", "a.bin"], ["b.bin"]],
        "make it with the toy generator.",
        new Dictionary<string, string[]> { ["a.bin"] = [Sha(Good)], ["b.bin"] = [Sha(Other), Sha(Good)] },
        sources);

    [Test]
    public void Verify_MatchingFiles_PassAndAreCachedByPathSizeAndMtime()
    {
        using var temp = new TempDirectory();
        var folder = temp.Sub("toy");
        File.WriteAllBytes(Path.Combine(folder, "a.bin"), Good);
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), Good);
        var cacheFile = Path.Combine(temp.Path, "cache", ChecksumCache.FileName);

        var first = new DatasetVerifier(new ChecksumCache(cacheFile)).Verify(Toy(), folder);
        var again = new DatasetVerifier(new ChecksumCache(cacheFile)).Verify(Toy(), folder); // a new process, same cache file

        Assert.That(first.Select(c => c.FromCache), Is.All.False);
        Assert.That(again.Select(c => c.FromCache), Is.All.True);
        Assert.That(again.Select(c => c.Sha256), Is.All.EqualTo(Sha(Good)));
        Assert.That(File.ReadAllText(cacheFile), Does.Contain(Path.Combine(folder, "a.bin")));
    }

    [Test]
    public void Verify_ChangedFile_IsHashedAgainAndRejectedWithExpectedAndFound()
    {
        using var temp = new TempDirectory();
        var folder = temp.Sub("toy");
        var a = Path.Combine(folder, "a.bin");
        File.WriteAllBytes(a, Good);
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), Good);
        var verifier = new DatasetVerifier(new ChecksumCache(Path.Combine(temp.Path, "c.tsv")));
        verifier.Verify(Toy(), folder);

        File.WriteAllBytes(a, Other); // same size, new content and mtime
        File.SetLastWriteTimeUtc(a, DateTime.UtcNow.AddMinutes(1));
        var e = Assert.Throws<InvalidDataException>(() => verifier.Verify(Toy(), folder));

        Assert.That(e!.Message, Does.StartWith(a).And.Contain("SHA-256 mismatch for dataset 'toy'")
            .And.Contain($"expected {Sha(Good)}").And.Contain($"found {Sha(Other)}").And.Contain("toy generator"));
    }

    [Test]
    public void Verify_FileNameWithoutRecordedChecksum_IsAnError()
    {
        using var temp = new TempDirectory();
        var folder = temp.Sub("toy");
        File.WriteAllBytes(Path.Combine(folder, "a.bin.gz"), Good);
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), Good);

        var e = Assert.Throws<InvalidDataException>(() => new DatasetVerifier(new ChecksumCache(null)).Verify(Toy(), folder));

        Assert.That(e!.Message, Does.Contain("no SHA-256 is recorded for a file named a.bin.gz"));
    }

    [Test]
    public void Find_VerifiesBeforeUse_TryFindOnlyLooks()
    {
        using var temp = new TempDirectory();
        var folder = temp.Sub("flag", "toy");
        File.WriteAllBytes(Path.Combine(folder, "a.bin"), Other);
        File.WriteAllBytes(Path.Combine(folder, "b.bin"), Good);
        var resolver = new DataDirectory(Path.Combine(temp.Path, "flag"), null, [temp.Path], Path.Combine(temp.Path, "none"), new DatasetVerifier(new ChecksumCache(null)));

        Assert.That(resolver.TryFind(Toy()), Is.EqualTo(folder));
        Assert.That(Assert.Throws<InvalidDataException>(() => resolver.Find(Toy()))!.Message, Does.Contain("a.bin: SHA-256 mismatch"));
    }

    [Test]
    public void Checksums_EveryRealDatasetRecordsEveryAcceptedFileName()
    {
        foreach (var info in DatasetCatalog.All.Select(e => e.Info).Distinct())
        {
            foreach (var name in info.RequiredFiles.SelectMany(n => n))
            {
                Assert.That(info.Checksums!.ContainsKey(name), $"{info.Name}/{name} has no recorded SHA-256");
            }

            foreach (var source in info.Sources ?? [])
            {
                Assert.That(info.Checksums![source.FileName], Does.Contain(source.Sha256), $"{info.Name}: download of {source.FileName} must be accepted by the verifier");
            }
        }
    }

    [Test]
    public void Download_GoodFile_IsVerifiedAndRenamedIntoPlace()
    {
        using var server = new LoopbackServer(new Dictionary<string, byte[]> { ["a.bin"] = Good });
        using var temp = new TempDirectory();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        var path = new DatasetDownloader(http).DownloadFile(new RemoteFile("a.bin", server.BaseUrl + "a.bin", Sha(Good), Good.Length), Path.Combine(temp.Path, "toy"));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Good));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1), "no temporary file left");
    }

    [Test]
    public void Download_WrongChecksumOrTooLong_SavesNothing()
    {
        using var server = new LoopbackServer(new Dictionary<string, byte[]> { ["a.bin"] = Other });
        using var temp = new TempDirectory();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var downloader = new DatasetDownloader(http);
        var folder = Path.Combine(temp.Path, "toy");

        var wrong = Assert.Throws<InvalidDataException>(() => downloader.DownloadFile(new RemoteFile("a.bin", server.BaseUrl + "a.bin", Sha(Good)), folder));
        var tooLong = Assert.Throws<InvalidDataException>(() => downloader.DownloadFile(new RemoteFile("a.bin", server.BaseUrl + "a.bin", Sha(Other), 5), folder));

        Assert.That(wrong!.Message, Does.Contain($"expected {Sha(Good)}").And.Contain($"SHA-256 {Sha(Other)}").And.Contain("Nothing was saved"));
        Assert.That(tooLong!.Message, Does.Contain("more than the expected 5 bytes"));
        Assert.That(Directory.GetFiles(folder), Is.Empty);
    }

    [Test]
    public void Download_HttpErrorAndRefusedConnection_AreClearExperimentErrors()
    {
        using var server = new LoopbackServer(new Dictionary<string, byte[]>());
        using var temp = new TempDirectory();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var downloader = new DatasetDownloader(http);

        var missing = Assert.Throws<ExperimentException>(() => downloader.DownloadFile(new RemoteFile("a.bin", server.BaseUrl + "nope", Sha(Good)), temp.Path));

        Assert.That(missing!.Message, Does.Contain("HTTP 404").And.Contain(server.BaseUrl + "nope"));
        Assert.That(Directory.GetFiles(temp.Path), Is.Empty);

        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var refused = Assert.Throws<ExperimentException>(() => downloader.DownloadFile(new RemoteFile("a.bin", $"http://127.0.0.1:{closedPort}/a.bin", Sha(Good)), temp.Path));
        Assert.That(refused!.Message, Does.StartWith($"download of http://127.0.0.1:{closedPort}/a.bin failed"));
    }

    [Test]
    public void Download_Dataset_FetchesOnlyMissingFiles_AndRefusesUpFrontWithoutASource()
    {
        using var server = new LoopbackServer(new Dictionary<string, byte[]> { ["b.bin"] = Good, ["a.bin"] = Good });
        using var temp = new TempDirectory();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var folder = temp.Sub("toy");
        File.WriteAllBytes(Path.Combine(folder, "a.bin"), Good);
        var complete = Toy([new RemoteFile("b.bin", server.BaseUrl + "b.bin", Sha(Good)), new RemoteFile("a.bin", server.BaseUrl + "a.bin", Sha(Good))]);
        var partial = Toy([new RemoteFile("a.bin", server.BaseUrl + "a.bin", Sha(Good))]);
        File.Delete(Path.Combine(folder, "a.bin"));

        var e = Assert.Throws<ExperimentException>(() => new DatasetDownloader(http).Download(partial, temp.Path));
        Assert.That(e!.Message, Does.Contain("no source is known for b.bin").And.Contain("toy generator"));
        Assert.That(Directory.GetFiles(folder), Is.Empty, "nothing downloaded when the dataset cannot be completed");

        File.WriteAllBytes(Path.Combine(folder, "a.bin"), Good);
        var written = new DatasetDownloader(http).Download(complete, temp.Path);

        Assert.That(written, Is.EqualTo(new[] { Path.Combine(folder, "b.bin") }));
        Assert.That(new DatasetVerifier(new ChecksumCache(null)).Verify(complete, folder), Has.Count.EqualTo(2));
    }
}
