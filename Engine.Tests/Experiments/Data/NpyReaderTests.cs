using Engine.Experiments.Data.Formats;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class NpyReaderTests
{
    private static string Write(TempDirectory temp, byte[] bytes, string name = "a.npy")
    {
        var path = Path.Combine(temp.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void Read_BoolStoredAs00FF_IsTrueForAnyNonZeroByte()
    {
        using var temp = new TempDirectory();
        var path = Write(temp, NpyFiles.Encode("|b1", [2, 3], [0x00, 0xFF, 0x01, 0xFF, 0x00, 0x00]));

        var a = NpyReader.Read(path);

        Assert.That(a.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(a.Header.FortranOrder, Is.False);
        Assert.That(a.ToInt64(), Is.EqualTo(new long[] { 0, 1, 1, 1, 0, 0 }));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Read_Int64AndFloat_RoundTrip(int version)
    {
        using var temp = new TempDirectory();
        var ints = Write(temp, NpyFiles.Encode("<i8", [3], NpyFiles.Int64(-2, 0, 1L << 40), version), "i.npy");
        var floats = Write(temp, NpyFiles.Encode("<f4", [2], [.. BitConverter.GetBytes(0.5f), .. BitConverter.GetBytes(-3f)], version), "f.npy");

        Assert.That(NpyReader.Read(ints).ToInt64(), Is.EqualTo(new[] { -2L, 0, 1L << 40 }));
        Assert.That(NpyReader.Read(floats).ToDouble(), Is.EqualTo(new[] { 0.5, -3 }));
    }

    [Test]
    public void Read_ZeroDimensionalAndEmptyArrays_Work()
    {
        using var temp = new TempDirectory();
        var scalar = Write(temp, NpyFiles.Encode("<i8", [], NpyFiles.Int64(42), rawDict: "{'descr': '<i8', 'fortran_order': False, 'shape': (), }"), "s.npy");
        var empty = Write(temp, NpyFiles.Encode("|u1", [0, 5], []), "e.npy");

        Assert.That(NpyReader.Read(scalar).ToInt64(), Is.EqualTo(new[] { 42L }));
        Assert.That(NpyReader.Read(empty).Data, Is.Empty);
    }

    [TestCase("{'descr': '>i8', 'fortran_order': False, 'shape': (1,), }", "big-endian dtype '>i8'")]
    [TestCase("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", "dtype '<c16' is not supported")]
    [TestCase("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", "structured or object dtype")]
    [TestCase("{'descr': '<i8', 'shape': (1,), }", "lacks 'descr', 'fortran_order' or 'shape'")]
    [TestCase("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "unexpected key 'extra'")]
    [TestCase("{'descr': '<i8', 'fortran_order': Maybe, 'shape': (1,), }", "expected True or False")]
    [TestCase("{'descr': '<i8', 'fortran_order': False, 'shape': (-1,), }", "non-negative dimension")]
    [TestCase("{'descr': '<i8', 'fortran_order': False, 'shape': (100000, 100000, 1000), }", "too large")]
    public void Read_BadHeader_SaysWhat(string dict, string expected)
    {
        using var temp = new TempDirectory();
        var path = Write(temp, NpyFiles.Encode("<i8", [1], NpyFiles.Int64(7), rawDict: dict));

        var e = Assert.Throws<InvalidDataException>(() => NpyReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain(expected));
    }

    [Test]
    public void Read_TruncatedOrLongData_SaysBytesNeededAndFound()
    {
        using var temp = new TempDirectory();
        var whole = NpyFiles.Encode("<i8", [4], NpyFiles.Int64(1, 2, 3, 4));
        var cut = Write(temp, whole[..^3], "cut.npy");
        var longer = Write(temp, [.. whole, 0], "long.npy");
        var magic = Write(temp, [.. "PK"u8, .. whole[2..]], "zip.npy");

        Assert.That(Assert.Throws<InvalidDataException>(() => NpyReader.Read(cut))!.Message, Does.Contain("truncated .npy data: shape (4) <i8 needs 32 bytes, found 29"));
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyReader.Read(longer))!.Message, Does.Contain("1 unexpected bytes after"));
        Assert.That(Assert.Throws<InvalidDataException>(() => NpyReader.Read(magic))!.Message, Does.Contain("not a .npy file"));
    }

    [Test]
    public void Npz_ReadsMembersStoredOrDeflated_AndReadIntoFillsTheCallersBuffer()
    {
        using var temp = new TempDirectory();
        foreach (var compress in new[] { true, false })
        {
            var path = Path.Combine(temp.Path, $"a{compress}.npz");
            NpyFiles.WriteNpz(path, compress, ("images", NpyFiles.Encode("|b1", [2, 2], [0, 0xFF, 0xFF, 0])), ("labels", NpyFiles.Encode("<i8", [2], NpyFiles.Int64(0, 1))));

            using var npz = NpzFile.Open(path);
            var buffer = new byte[6];
            var header = npz.ReadInto("images", buffer.AsMemory(1, 4));

            Assert.That(npz.Members, Is.EqualTo(new[] { "images", "labels" }));
            Assert.That(header.Shape, Is.EqualTo(new[] { 2, 2 }));
            Assert.That(buffer, Is.EqualTo(new byte[] { 0, 0, 0xFF, 0xFF, 0, 0 }));
            Assert.That(npz.Read("labels.npy").ToInt64(), Is.EqualTo(new[] { 0L, 1 }));
        }
    }

    [Test]
    public void Npz_MissingMemberOrNotAZip_NamesTheArchive()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "a.npz");
        NpyFiles.WriteNpz(path, true, ("images", NpyFiles.Encode("|u1", [1], [3])));
        var notZip = Write(temp, "not a zip at all"u8.ToArray(), "b.npz");

        using var npz = NpzFile.Open(path);
        Assert.That(Assert.Throws<InvalidDataException>(() => npz.Read("labels"))!.Message, Does.StartWith(path).And.Contain("no member 'labels.npy'").And.Contain("images"));
        Assert.That(Assert.Throws<InvalidDataException>(() => NpzFile.Open(notZip))!.Message, Does.StartWith(notZip));
    }

    [Test]
    public void Fuzz_Npy_OnlyInvalidDataException()
    {
        var valid = NpyFiles.Encode("<i8", [3, 4], NpyFiles.Int64(Enumerable.Range(0, 12).Select(i => (long)i * 31).ToArray()));

        ParserFuzz.Run(valid, "fuzz.npy", path => NpyReader.Read(path).ToInt64(), seed: 701);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Fuzz_Npz_OnlyInvalidDataException(bool compress)
    {
        using var temp = new TempDirectory();
        var source = Path.Combine(temp.Path, "valid.npz");
        NpyFiles.WriteNpz(source, compress, ("images", NpyFiles.Encode("|b1", [2, 3, 5], Enumerable.Range(0, 30).Select(i => (byte)(i % 3 == 0 ? 0xFF : 0)).ToArray())), ("labels", NpyFiles.Encode("<i8", [2], NpyFiles.Int64(0, 1))));

        ParserFuzz.Run(File.ReadAllBytes(source), "fuzz.npz", path =>
        {
            using var npz = NpzFile.Open(path);
            var header = npz.ReadHeader("images");
            npz.ReadInto("images", new byte[header.DataBytes]);
            npz.Read("labels").ToInt64();
        }, seed: compress ? 702 : 703);
    }
}
