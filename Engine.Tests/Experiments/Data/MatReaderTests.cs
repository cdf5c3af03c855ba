using System.Buffers.Binary;
using Engine.Experiments.Data.Formats;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class MatReaderTests
{
    // A 2×3 uint8 matrix [[1 2 3]; [4 5 6]] is stored column-major: 1 4 2 5 3 6.
    private static readonly byte[] ColumnMajor = [1, 4, 2, 5, 3, 6];

    /// <summary>One file with every supported kind: plain and compressed numeric, char (UTF-8 and UTF-16), a cell of strings, a struct, a short name.</summary>
    private static byte[] Sample() => MatFiles.File(
        MatFiles.UInt8("plain", MatClass.UInt8, [2, 3], ColumnMajor),
        MatFiles.Compressed(MatFiles.UInt8("packed", MatClass.Double, [2, 3], ColumnMajor)),
        MatFiles.Compressed(MatFiles.Doubles("reals", [1, 3], [-1.5, 0, 2.25])),
        MatFiles.Numeric("neg", MatClass.Int16, [1, 2], MatFiles.MiInt16, [0xFF, 0xFF, 0x02, 0x00]),
        MatFiles.Chars("title", "héllo"),
        MatFiles.Chars("wide", "abc", utf16: true),
        MatFiles.Compressed(MatFiles.Cell("names", [1, 2], MatFiles.Chars("", "Faces 2"), MatFiles.Chars("", "Leopards"))),
        MatFiles.Struct("info"),
        MatFiles.UInt8("ff", MatClass.UInt8, [1, 2], [7, 9], smallName: true));

    private static MatFile WriteAndRead(byte[] bytes)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "sample.mat");
        File.WriteAllBytes(path, bytes);
        return MatReader.Read(path);
    }

    [Test]
    public void Read_NumericVariables_KeepColumnMajorOrderAndClass()
    {
        var mat = WriteAndRead(Sample());

        var plain = mat.GetNumeric("plain", 2, 3);
        Assert.That(plain.Class, Is.EqualTo(MatClass.UInt8));
        Assert.That(plain.Real, Is.EqualTo(ColumnMajor.Select(b => (double)b)));
        var packed = mat.GetNumeric("packed", 2, 3);
        Assert.That(packed.Class, Is.EqualTo(MatClass.Double), "class double stored as miUINT8, as Caltech's file does");
        Assert.That(packed.Real, Is.EqualTo(plain.Real));
        Assert.That(mat.Get("reals").Real, Is.EqualTo(new[] { -1.5, 0, 2.25 }));
        Assert.That(mat.Get("neg").Real, Is.EqualTo(new[] { -1.0, 2.0 }));
        Assert.That(mat.Get("ff").Real, Is.EqualTo(new[] { 7.0, 9.0 }), "small-element name format");
        Assert.That(mat.HeaderText, Does.StartWith("MATLAB 5.0 MAT-file"));
    }

    [Test]
    public void Read_CharAndCellArrays_DecodeToText()
    {
        var mat = WriteAndRead(Sample());

        Assert.That(mat.Get("title").Text, Is.EqualTo("héllo"));
        Assert.That(mat.Get("wide").Text, Is.EqualTo("abc"));
        var names = mat.Get("names");
        Assert.That(names.Class, Is.EqualTo(MatClass.Cell));
        Assert.That(names.Cells.Select(c => c.Text), Is.EqualTo(new[] { "Faces 2", "Leopards" }));
    }

    [Test]
    public void Get_UnsupportedVariable_SaysWhyWhileTheRestIsReadable()
    {
        var mat = WriteAndRead(Sample());

        var e = Assert.Throws<InvalidDataException>(() => mat.Get("info"));

        Assert.That(e!.Message, Does.Contain("'info'").And.Contain("struct arrays"));
        Assert.That(mat.Get("plain").Count, Is.EqualTo(6));
    }

    [Test]
    public void Get_MissingVariable_ListsTheVariablesPresent()
    {
        var mat = WriteAndRead(Sample());

        var e = Assert.Throws<InvalidDataException>(() => mat.Get("train_data"));

        Assert.That(e!.Message, Does.StartWith(mat.Path).And.Contain("no variable 'train_data'").And.Contain("plain, packed"));
    }

    [Test]
    public void GetNumeric_WrongShape_SaysExpectedAndFound()
    {
        var mat = WriteAndRead(Sample());

        var e = Assert.Throws<InvalidDataException>(() => mat.GetNumeric("plain", 3, 2));

        Assert.That(e!.Message, Does.Contain("3×2").And.Contain("found 2×3 uint8"));
    }

    [TestCase(100, "truncated MAT-file")]
    [TestCase(128 + 20, "truncated")]
    public void Read_Truncated_ThrowsNamingTheFile(int keep, string expected)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "cut.mat");
        File.WriteAllBytes(path, Sample()[..keep]);

        var e = Assert.Throws<InvalidDataException>(() => MatReader.Read(path));

        Assert.That(e!.Message, Does.StartWith(path).And.Contain(expected));
    }

    [Test]
    public void Read_NotAMatFile_V73AndBigEndian_AreRefusedClearly()
    {
        var bytes = Sample();
        var v73 = (byte[])bytes.Clone();
        "MATLAB 7.3 MAT-file"u8.CopyTo(v73);
        var big = (byte[])bytes.Clone();
        (big[126], big[127]) = ((byte)'M', (byte)'I');
        var text = (byte[])bytes.Clone();
        "PK\u0003\u0004"u8.CopyTo(text);

        Assert.That(Assert.Throws<InvalidDataException>(() => MatReader.Parse(v73, "a.mat"))!.Message, Does.Contain("HDF5"));
        Assert.That(Assert.Throws<InvalidDataException>(() => MatReader.Parse(big, "b.mat"))!.Message, Does.Contain("big-endian"));
        Assert.That(Assert.Throws<InvalidDataException>(() => MatReader.Parse(text, "c.mat"))!.Message, Does.StartWith("c.mat").And.Contain("not a Level-5 MAT-file"));
    }

    [Test]
    public void Read_DataShorterThanDimensions_SaysBytesExpectedAndFound()
    {
        var bytes = MatFiles.File(MatFiles.UInt8("x", MatClass.UInt8, [2, 3], [1, 2, 3, 4, 5])); // 5 values for 2×3

        var e = Assert.Throws<InvalidDataException>(() => MatReader.Parse(bytes, "short.mat"));

        Assert.That(e!.Message, Does.Contain("'x' (2×3) needs 6 values").And.Contain("found 5 bytes"));
    }

    [Test]
    public void Read_CorruptCompressedElement_ThrowsNamingTheFile()
    {
        var bytes = MatFiles.File(MatFiles.Compressed(MatFiles.Doubles("reals", [1, 64], new double[64])));
        for (var i = 128 + 8 + 2; i < bytes.Length; i++)
        {
            bytes[i] ^= 0x5A; // scramble the deflate stream after the zlib header
        }

        var e = Assert.Throws<InvalidDataException>(() => MatReader.Parse(bytes, "zlib.mat"));

        Assert.That(e!.Message, Does.StartWith("zlib.mat"));
    }

    [Test]
    public void Read_TagAnnouncingMoreThanTheFileHolds_IsTruncation()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(128 + 4), 1 << 30);

        var e = Assert.Throws<InvalidDataException>(() => MatReader.Parse(bytes, "big.mat"));

        Assert.That(e!.Message, Does.Contain("announces 1073741824 bytes"));
    }

    [Test]
    public void Fuzz_TruncationsAndByteFlips_OnlyInvalidDataException()
    {
        ParserFuzz.Run(Sample(), "fuzz.mat", path => MatReader.Read(path), seed: 501);
    }
}
