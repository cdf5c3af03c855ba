using Engine.Experiments.Data;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class IdxReaderTests
{
    private static readonly int[] Dims = [3, 2, 5];
    private static readonly byte[] Data = Enumerable.Range(0, 30).Select(i => (byte)(i * 7 % 256)).ToArray();

    [TestCase(true)]
    [TestCase(false)]
    public void Read_WrittenFile_RoundTrips(bool gzip)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, gzip ? "images.gz" : "images");
        IdxFiles.Write(path, IdxFiles.Encode(Dims, Data), gzip);

        var idx = IdxReader.Read(path);

        Assert.That(idx.Dims, Is.EqualTo(Dims));
        Assert.That(idx.Data, Is.EqualTo(Data));
        Assert.That(idx.Count, Is.EqualTo(3));
        Assert.That(idx.ItemSize, Is.EqualTo(10));
    }

    [Test]
    public void Read_GzipDetectedByContent_NotByName()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "labels-idx1-ubyte"); // gzipped data without a .gz name
        IdxFiles.Write(path, IdxFiles.Encode([4], [1, 2, 3, 4]), gzip: true);
        Assert.That(IdxReader.Read(path).Data, Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [TestCase(true, 4 + 12 + 29, "truncated IDX data")] // one data byte missing
    [TestCase(false, 4 + 12 + 29, "truncated IDX data")]
    [TestCase(false, 4 + 5, "truncated IDX header")] // inside the dimensions
    [TestCase(false, 2, "truncated IDX file")] // inside the magic
    public void Read_TruncatedFile_ThrowsNamingTheFile(bool gzip, int keep, string expected)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "cut-short.idx");
        IdxFiles.Write(path, IdxFiles.Encode(Dims, Data)[..keep], gzip);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain(expected));
    }

    [Test]
    public void Read_CorruptGzip_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "corrupt.gz");
        IdxFiles.Write(path, IdxFiles.Encode(Dims, Data), gzip: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path));
    }

    [Test]
    public void Read_BadMagic_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "not-idx.bin");
        File.WriteAllBytes(path, "PK\u0003\u0004 this is a zip, not IDX"u8.ToArray());

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain("not an IDX file"));
    }

    [Test]
    public void Read_UnsupportedElementType_ThrowsNamingTheFile()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "floats.idx");
        var bytes = IdxFiles.Encode([2], [0, 0]);
        bytes[2] = 0x0D; // float32
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain("0x0D"));
    }

    [Test]
    public void Read_TrailingBytes_Throws()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "long.idx");
        File.WriteAllBytes(path, [.. IdxFiles.Encode([2], [5, 6]), 99]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain("after the IDX data"));
    }
}
