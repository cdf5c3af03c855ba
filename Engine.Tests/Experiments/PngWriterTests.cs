using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Engine.Experiments.Reporting.Figures;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class PngWriterTests
{
    [Test]
    public void Crc32_MatchesTheStandardCheckValue() =>
        Assert.That(PngWriter.Crc32(Encoding.ASCII.GetBytes("123456789")) ^ 0xFFFFFFFF, Is.EqualTo(0xCBF43926u));

    [Test]
    public void EncodedImage_HasValidChunks_AndDecodesToThePixels()
    {
        byte[] pixels = [0, 50, 100, 150, 200, 250];
        var png = PngWriter.Encode(pixels, 3, 2);
        Assert.That(png.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }));
        var at = 8;
        var chunks = new List<string>();
        byte[]? idat = null;
        while (at < png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            Assert.That(crc, Is.EqualTo(PngWriter.Crc32(png.AsSpan(at + 4, 4 + length)) ^ 0xFFFFFFFF), $"CRC of {type}");
            chunks.Add(type);
            if (type == "IHDR")
            {
                Assert.That(BinaryPrimitives.ReadUInt32BigEndian(data), Is.EqualTo(3));
                Assert.That(BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4)), Is.EqualTo(2));
                Assert.That(data[8..13], Is.EqualTo(new byte[] { 8, 0, 0, 0, 0 }));
            }

            if (type == "IDAT")
            {
                idat = data;
            }

            at += 12 + length;
        }

        Assert.That(chunks, Is.EqualTo(new[] { "IHDR", "IDAT", "IEND" }));
        using var inflate = new ZLibStream(new MemoryStream(idat!), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflate.CopyTo(raw);
        Assert.That(raw.ToArray(), Is.EqualTo(new byte[] { 0, 0, 50, 100, 0, 150, 200, 250 }));
    }

    [Test]
    public void ImageGrid_WritesAFileOfTheExpectedSize()
    {
        var path = Path.Combine(Path.GetTempPath(), $"grid-{Guid.NewGuid():N}.png");
        try
        {
            ImageGrid.Write(path, new float[5 * 4 * 3], 5, 4, 3, columns: 2);
            var bytes = File.ReadAllBytes(path);
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(2 * 4 + 1)); // width
            Assert.That(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(20)), Is.EqualTo(3 * 5 + 1)); // height
        }
        finally
        {
            File.Delete(path);
        }
    }
}
