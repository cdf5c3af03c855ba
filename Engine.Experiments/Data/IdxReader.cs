using System.Buffers.Binary;
using System.IO.Compression;

namespace Engine.Experiments.Data;

/// <summary>
/// Reads LeCun's IDX format, gzipped or raw (told apart by the gzip magic, not the file name):
/// bytes 00 00, an element-type byte (only 0x08, unsigned byte, is supported), the rank, then one
/// big-endian int32 per dimension, then the data row-major. Every malformation throws an
/// <see cref="InvalidDataException"/> that names the file.
/// </summary>
public static class IdxReader
{
    private const byte UnsignedByte = 0x08;
    private const int InitialBuffer = 1 << 24;

    public static IdxArray Read(string path)
    {
        using var file = File.OpenRead(path);
        var gzip = IsGzip(file);
        using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        try
        {
            return Read(stream, path);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // GZipStream's own errors (corrupt or cut-off compressed data) do not say which file.
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message}).", e);
        }
    }

    private static IdxArray Read(Stream stream, string path)
    {
        var header = new byte[4];
        var got = ReadFully(stream, header);
        if (got < header.Length)
        {
            throw new InvalidDataException($"{path}: truncated IDX file ({got} bytes; the header alone needs 4).");
        }

        if (header[0] != 0 || header[1] != 0)
        {
            throw new InvalidDataException($"{path}: not an IDX file (bad magic {Convert.ToHexString(header)}; expected 0000 then type and rank, e.g. 00000803 for images).");
        }

        if (header[2] != UnsignedByte)
        {
            throw new InvalidDataException($"{path}: IDX element type 0x{header[2]:X2} is not supported (only 0x08, unsigned byte).");
        }

        var rank = header[3];
        if (rank is < 1 or > 8)
        {
            throw new InvalidDataException($"{path}: IDX rank {rank} is out of range 1…8.");
        }

        var dimBytes = new byte[4 * rank];
        got = ReadFully(stream, dimBytes);
        if (got < dimBytes.Length)
        {
            throw new InvalidDataException($"{path}: truncated IDX header (rank {rank} needs {dimBytes.Length} dimension bytes, found {got}).");
        }

        var dims = new int[rank];
        long total = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (dims[i] < 0)
            {
                throw new InvalidDataException($"{path}: IDX dimension {i} is negative ({dims[i]}).");
            }

            // Checked step by step: a corrupt header must not overflow into a small or negative size.
            total *= dims[i];
            if (total > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: IDX data of {string.Join("×", dims.Take(i + 1))}… bytes is too large.");
            }
        }

        // Grow the buffer as data arrives rather than trusting the header: a corrupt dimension must
        // not make us allocate gigabytes before finding the file is short.
        var data = new byte[Math.Min(total, InitialBuffer)];
        long filled = 0;
        while (true)
        {
            filled += ReadFully(stream, data.AsSpan((int)filled));
            if (filled < data.Length || data.Length == total)
            {
                break;
            }

            Array.Resize(ref data, (int)Math.Min(total, 2L * data.Length));
        }

        if (filled < total)
        {
            throw new InvalidDataException($"{path}: truncated IDX data (dimensions {string.Join("×", dims)} need {total} bytes, found {filled}).");
        }

        if (stream.ReadByte() != -1)
        {
            throw new InvalidDataException($"{path}: unexpected bytes after the IDX data (dimensions {string.Join("×", dims)}).");
        }

        return new IdxArray(dims, data);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var got = file.Read(magic);
        file.Position = 0;
        return got == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer)
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
