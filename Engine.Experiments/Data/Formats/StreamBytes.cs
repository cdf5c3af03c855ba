using System.IO.Compression;

namespace Engine.Experiments.Data.Formats;

/// <summary>Small stream helpers shared by the readers: gzip sniffing and reading until a buffer is full.</summary>
internal static class StreamBytes
{
    /// <summary>True when the file starts with the gzip magic 1F 8B (the name is not trusted); leaves the position at 0.</summary>
    public static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var got = file.Read(magic);
        file.Position = 0;
        return got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>The file's content stream: decompressed when it is gzipped.</summary>
    public static Stream OpenMaybeGzip(FileStream file) =>
        IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
