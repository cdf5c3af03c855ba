using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Engine.Experiments.Reporting.Figures;

/// <summary>
/// A minimal PNG encoder (no imaging package is served here): 8-bit greyscale or RGB, one IDAT
/// chunk compressed with ZLibStream, filter type 0 on every row, CRC-32 per chunk (PNG spec §5).
/// </summary>
public static class PngWriter
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="pixels"/> (row-major; 1 byte per pixel for grey, 3 for RGB).</summary>
    public static byte[] Encode(byte[] pixels, int width, int height, bool rgb = false)
    {
        var channels = rgb ? 3 : 1;
        if (width <= 0 || height <= 0 || pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"PngWriter: {pixels.Length} bytes do not make a {width}×{height} {(rgb ? "RGB" : "grey")} image.");
        }

        using var output = new MemoryStream();
        output.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8;                        // bit depth
        header[9] = (byte)(rgb ? 2 : 0);      // colour type: truecolour or greyscale
        WriteChunk(output, "IHDR", header);     // compression, filter, interlace = 0
        WriteChunk(output, "IDAT", Compress(pixels, width * channels, height));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>Writes a greyscale image of values in [0, 1] (clamped) to a PNG file, atomically.</summary>
    public static void WriteGrey(string path, float[] values, int width, int height)
    {
        var bytes = values.Select(v => (byte)Math.Round(255 * Math.Clamp(float.IsFinite(v) ? v : 0, 0, 1))).ToArray();
        var png = Encode(bytes, width, height);
        Engine.Core.Serialization.AtomicFile.Write(path, s => s.Write(png));
    }

    /// <summary>CRC-32 (ISO 3309, as PNG uses) of the bytes.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes, uint crc = 0xFFFFFFFF)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static byte[] Compress(byte[] pixels, int stride, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var row = 0; row < height; row++)
            {
                zlib.WriteByte(0); // filter: none
                zlib.Write(pixels, row * stride, stride);
            }
        }

        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32(data, Crc32(typeBytes)) ^ 0xFFFFFFFF;
        BinaryPrimitives.WriteUInt32BigEndian(length, crc);
        output.Write(length);
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
