using Engine.Experiments.Data;
using Engine.Experiments.Data.Formats;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class AmatReaderTests
{
    private const string Text = "0 1 1 0\n1 1 0 0\n0 0 0 1\n";

    private static string Write(TempDirectory temp, string name, string text, bool gzip)
    {
        var path = Path.Combine(temp.Path, name);
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        File.WriteAllBytes(path, gzip ? ParserFuzz.Gzip(bytes) : bytes);
        return path;
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Read_WrittenFile_RoundTripsRowMajor(bool gzip)
    {
        using var temp = new TempDirectory();
        var path = Write(temp, "m.amat", Text, gzip);

        var m = AmatReader.Read(path, expectedColumns: 4);

        Assert.That((m.Rows, m.Columns), Is.EqualTo((3, 4)));
        Assert.That(m.Values, Is.EqualTo(new float[] { 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1 }));
    }

    [Test]
    public void Read_GeneralNumbersCrlfAndTabs_AreAccepted()
    {
        using var temp = new TempDirectory();
        var path = Write(temp, "g.amat", "0.25\t-1e-3  7\r\n1 2 3\r\n", gzip: false);

        var m = AmatReader.Read(path);

        Assert.That(m.Values, Is.EqualTo(new[] { 0.25f, -1e-3f, 7f, 1f, 2f, 3f }));
    }

    [TestCase("0 1 1 0\n1 1 0", "truncated .amat file: line 2 does not end with a newline")]
    [TestCase("0 1 1 0\n1 1 0\n", "line 2 has 3 values; 4 expected")]
    [TestCase("0 1 x 0\n", "line 1: 'x' is not a finite number")]
    [TestCase("0 1 1 0\n\n1 1 0 0\n", "line 2 is empty")]
    [TestCase("", "empty .amat file")]
    [TestCase("0 1 nan 0\n", "'nan' is not a finite number")]
    public void Read_Malformed_ThrowsNamingFileAndLine(string text, string expected)
    {
        using var temp = new TempDirectory();
        var path = Write(temp, "bad.amat", text, gzip: false);

        var e = Assert.Throws<InvalidDataException>(() => AmatReader.Read(path, expectedColumns: 4));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain(expected));
    }

    [Test]
    public void Read_GzipCutShort_IsReported()
    {
        using var temp = new TempDirectory();
        var text = string.Concat(Enumerable.Repeat("0 1 1 0 1 0 0 1\n", 500));
        var path = Path.Combine(temp.Path, "cut.amat.gz");
        var gz = ParserFuzz.Gzip(System.Text.Encoding.ASCII.GetBytes(text));
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => AmatReader.Read(path, 8));

        Assert.That(e!.Message, Does.StartWith(path));
    }

    [Test]
    public void StaticBinarizedMnist_WrongRowCount_NamesFileExpectedAndFound()
    {
        using var temp = new TempDirectory();
        var row = string.Join(' ', Enumerable.Repeat("0", 784)) + "\n";
        foreach (var split in new[] { "train", "valid", "test" })
        {
            Write(temp, $"binarized_mnist_{split}.amat", string.Concat(Enumerable.Repeat(row, 3)), gzip: false);
        }

        var e = Assert.Throws<InvalidDataException>(() => StaticBinarizedMnist.Load(temp.Path));

        Assert.That(e!.Message, Does.Contain("binarized_mnist_train.amat").And.Contain("expected 50000 rows of 784 values, found 3"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fuzz_TruncationsAndByteFlips_OnlyInvalidDataException(bool gzip)
    {
        var text = string.Concat(Enumerable.Range(0, 40).Select(i => string.Join(' ', Enumerable.Range(0, 16).Select(j => (i * j + i) % 3 == 0 ? "1" : "0")) + "\n"));
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);

        ParserFuzz.Run(gzip ? ParserFuzz.Gzip(bytes) : bytes, "fuzz.amat", path => AmatReader.Read(path, 16), seed: gzip ? 601 : 602);
    }
}
