using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Engine.Experiments.Data.Formats;

/// <summary>
/// Reads MATLAB Level-5 MAT-files (MathWorks, "MAT-File Format", the v5/v6/v7 layout; not v4 and
/// not the HDF5-based v7.3): a 128-byte header, then data elements, each an 8-byte tag (type,
/// byte count) or a 4-byte "small element" tag with up to 4 bytes of data, padded to 8 bytes.
/// Top-level elements are miMATRIX or miCOMPRESSED (a zlib stream holding one miMATRIX).
/// Enough for the benchmark files: numeric arrays of any class stored in any numeric type (Caltech
/// stores its doubles as uint8), char arrays and cell arrays. Struct, object, sparse and complex
/// variables are listed as unsupported rather than failing the whole file. Little-endian files
/// only. Every malformation throws <see cref="InvalidDataException"/> naming the file; the whole
/// file is parsed before anything is returned.
/// </summary>
public static class MatReader
{
    /// <summary>Ceiling on one decompressed element, so a corrupt length cannot exhaust memory.</summary>
    public const int MaxElementBytes = 1 << 30;

    private const int HeaderBytes = 128;

    // Data types (MAT-File Format table 1-1).
    private const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6,
        MiSingle = 7, MiDouble = 9, MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15,
        MiUtf8 = 16, MiUtf16 = 17;

    private const uint ComplexFlag = 0x0800, LogicalFlag = 0x0200;

    public static MatFile Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Parses a whole MAT-file held in memory; <paramref name="path"/> is used in messages.</summary>
    public static MatFile Parse(byte[] bytes, string path)
    {
        if (bytes.Length < HeaderBytes)
        {
            throw Bad(path, $"truncated MAT-file ({bytes.Length} bytes; the header alone needs {HeaderBytes})");
        }

        var text = Encoding.ASCII.GetString(bytes, 0, 116).TrimEnd(' ', '\0');
        if (!text.StartsWith("MATLAB", StringComparison.Ordinal))
        {
            var hint = bytes.AsSpan(0, 4).IndexOfAnyExcept((byte)0) < 0 ? " (it looks like a Level-4 file)" : "";
            throw Bad(path, $"not a Level-5 MAT-file: the header text does not start with 'MATLAB'{hint}");
        }

        if (text.StartsWith("MATLAB 7.3", StringComparison.Ordinal))
        {
            throw Bad(path, "a v7.3 MAT-file is an HDF5 file; only Level-5 (v5–v7) files are supported — re-save it with -v7");
        }

        if (bytes[126] == (byte)'M' && bytes[127] == (byte)'I')
        {
            throw Bad(path, "big-endian MAT-files are not supported");
        }

        if (bytes[126] != (byte)'I' || bytes[127] != (byte)'M')
        {
            throw Bad(path, $"bad endian indicator 0x{bytes[126]:X2}{bytes[127]:X2} at byte 126 (expected 'IM')");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(124));
        if (version != 0x0100)
        {
            throw Bad(path, $"MAT-file version 0x{version:X4} is not supported (expected 0x0100)");
        }

        var variables = new List<MatArray>();
        var unsupported = new Dictionary<string, string>();
        var pos = HeaderBytes;
        while (pos < bytes.Length)
        {
            var (type, length, dataStart, next) = ReadTag(bytes, pos, bytes.Length, path, "top-level element");
            byte[] matrix;
            int start, end;
            if (type == MiCompressed)
            {
                matrix = Inflate(bytes, dataStart, length, path);
                var inner = ReadTag(matrix, 0, matrix.Length, path, "compressed element");
                if (inner.Type != MiMatrix)
                {
                    throw Bad(path, $"compressed element at byte {pos} holds data type {inner.Type}, expected miMATRIX (14)");
                }

                (start, end) = (inner.DataStart, inner.DataStart + inner.Length);

                // miCOMPRESSED elements are not padded: the next tag follows the zlib stream directly.
                next = dataStart + length;
            }
            else if (type == MiMatrix)
            {
                (matrix, start, end) = (bytes, dataStart, dataStart + length);
            }
            else
            {
                throw Bad(path, $"top-level element at byte {pos} has data type {type}; expected miMATRIX (14) or miCOMPRESSED (15)");
            }

            var array = ParseMatrix(matrix, start, end, path, topLevel: true, out var why);
            if (why is not null)
            {
                unsupported[array.Name] = why;
            }
            else if (variables.Any(v => v.Name == array.Name))
            {
                throw Bad(path, $"variable '{array.Name}' appears twice");
            }
            else
            {
                variables.Add(array);
            }

            pos = next;
        }

        return new MatFile(path, text, variables, unsupported);
    }

    /// <summary>Reads the tag at <paramref name="pos"/>: its type, data length, where its data starts and where the next element starts (8-byte aligned).</summary>
    private static (int Type, int Length, int DataStart, int Next) ReadTag(byte[] bytes, int pos, int end, string path, string what)
    {
        if (end - pos < 4)
        {
            throw Bad(path, $"truncated {what} tag at byte {pos} ({end - pos} bytes left)");
        }

        var first = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos));
        if (first >> 16 != 0)
        {
            // Small data element: type in the low half, byte count (≤ 4) in the high half, data in the next 4 bytes.
            var smallLength = (int)(first >> 16);
            if (smallLength > 4 || end - pos < 8)
            {
                throw Bad(path, $"bad small-element tag at byte {pos} (length {smallLength}, {end - pos} bytes left)");
            }

            return ((int)(first & 0xFFFF), smallLength, pos + 4, pos + 8);
        }

        if (end - pos < 8)
        {
            throw Bad(path, $"truncated {what} tag at byte {pos} ({end - pos} bytes left)");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 4));
        var available = (long)end - pos - 8;
        if (length > available)
        {
            throw Bad(path, $"truncated {what} at byte {pos}: its tag announces {length} bytes, only {available} follow");
        }

        var padded = pos + 8 + ((length + 7) & ~7L);
        return ((int)first, (int)length, pos + 8, (int)Math.Min(padded, end));
    }

    private static byte[] Inflate(byte[] bytes, int start, int length, string path)
    {
        try
        {
            using var input = new MemoryStream(bytes, start, length, writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[1 << 16];
            int n;
            while ((n = zlib.Read(buffer)) > 0)
            {
                if (output.Length + n > MaxElementBytes)
                {
                    throw Bad(path, $"compressed element at byte {start - 8} inflates to more than {MaxElementBytes} bytes");
                }

                output.Write(buffer, 0, n);
            }

            return output.ToArray();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw Bad(path, $"corrupt zlib data in the compressed element at byte {start - 8} ({e.Message})", e);
        }
    }

    /// <summary>Parses an miMATRIX body [start, end). Unsupported kinds come back as a bare named array with <paramref name="unsupported"/> set.</summary>
    private static MatArray ParseMatrix(byte[] b, int start, int end, string path, bool topLevel, out string? unsupported)
    {
        unsupported = null;
        if (start == end)
        {
            return new MatArray("", MatClass.Double, [0, 0], []); // an empty miMATRIX (MATLAB writes these for empty cells)
        }

        var flags = ReadTag(b, start, end, path, "array flags");
        if (flags.Type != MiUInt32 || flags.Length != 8)
        {
            throw Bad(path, $"array flags at byte {start} should be 8 bytes of miUINT32, found type {flags.Type}, {flags.Length} bytes");
        }

        var flagWord = BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(flags.DataStart));
        var classByte = (int)(flagWord & 0xFF);
        if (classByte is < 1 or > 15)
        {
            throw Bad(path, $"unknown array class {classByte} at byte {flags.DataStart}");
        }

        var @class = (MatClass)classByte;
        var dimsTag = ReadTag(b, flags.Next, end, path, "dimensions");
        if (dimsTag.Type != MiInt32 || dimsTag.Length % 4 != 0 || dimsTag.Length < 8)
        {
            throw Bad(path, $"dimensions at byte {flags.Next} should be at least two miINT32 values, found type {dimsTag.Type}, {dimsTag.Length} bytes");
        }

        var dims = new int[dimsTag.Length / 4];
        long count = 1;
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(dimsTag.DataStart + 4 * i));
            if (dims[i] < 0)
            {
                throw Bad(path, $"negative dimension {dims[i]} at byte {dimsTag.DataStart + 4 * i}");
            }

            count *= dims[i];
            if (count > int.MaxValue)
            {
                throw Bad(path, $"array of {string.Join("×", dims)} elements is too large");
            }
        }

        var nameTag = ReadTag(b, dimsTag.Next, end, path, "array name");
        if (nameTag.Type is not (MiInt8 or MiUInt8 or MiUtf8))
        {
            throw Bad(path, $"array name at byte {dimsTag.Next} should be miINT8 text, found type {nameTag.Type}");
        }

        var name = Encoding.ASCII.GetString(b, nameTag.DataStart, nameTag.Length);
        if (topLevel && name.Length == 0)
        {
            throw Bad(path, $"top-level variable at byte {start} has no name");
        }

        var shape = string.Join("×", dims);
        if (@class is MatClass.Struct or MatClass.Object or MatClass.Sparse || (flagWord & ComplexFlag) != 0)
        {
            unsupported = (flagWord & ComplexFlag) != 0 ? $"complex {shape} arrays are not supported" : $"{@class.ToString().ToLowerInvariant()} arrays ({shape}) are not supported";
            return new MatArray(name, @class, dims, []);
        }

        var pos = nameTag.Next;
        if (@class == MatClass.Cell)
        {
            var cells = new List<MatArray>((int)Math.Min(count, 1 << 16));
            for (long i = 0; i < count; i++)
            {
                var cell = ReadTag(b, pos, end, path, $"cell {i} of '{name}'");
                if (cell.Type != MiMatrix)
                {
                    throw Bad(path, $"cell {i} of '{name}' at byte {pos} has data type {cell.Type}, expected miMATRIX (14)");
                }

                var element = ParseMatrix(b, cell.DataStart, cell.DataStart + cell.Length, path, topLevel: false, out var why);
                if (why is not null)
                {
                    unsupported = $"cell {i} of {shape} cell array: {why}";
                    return new MatArray(name, @class, dims, []);
                }

                cells.Add(element);
                pos = cell.Next;
            }

            return new MatArray(name, @class, dims, [], cells: cells);
        }

        var data = ReadTag(b, pos, end, path, $"data of '{name}'");
        var payload = b.AsSpan(data.DataStart, data.Length);
        if (@class == MatClass.Char)
        {
            return new MatArray(name, @class, dims, [], text: DecodeChars(payload, data.Type, count, name, path));
        }

        var size = ElementSize(data.Type);
        if (size == 0)
        {
            throw Bad(path, $"data of '{name}' has non-numeric data type {data.Type}");
        }

        if (data.Length != count * size)
        {
            throw Bad(path, $"variable '{name}' ({shape}) needs {count} values = {count * size} bytes of type {data.Type}, found {data.Length} bytes");
        }

        var values = new double[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ReadNumber(payload, data.Type, i);
        }

        return new MatArray(name, @class, dims, values, logical: (flagWord & LogicalFlag) != 0);
    }

    private static string DecodeChars(ReadOnlySpan<byte> payload, int type, long count, string name, string path)
    {
        string text = type switch
        {
            MiUInt16 or MiUtf16 when payload.Length % 2 == 0 => Encoding.Unicode.GetString(payload),
            MiUtf8 or MiUInt8 or MiInt8 => Encoding.UTF8.GetString(payload),
            _ => throw Bad(path, $"char array '{name}' stored as data type {type} ({payload.Length} bytes) is not supported"),
        };

        // UTF-8 may use several bytes per character, so only a 16-bit encoding pins the length exactly.
        if (type is MiUInt16 or MiUtf16 ? text.Length != count : text.Length > count)
        {
            throw Bad(path, $"char array '{name}' should hold {count} characters, found {text.Length}");
        }

        return text;
    }

    private static int ElementSize(int type) => type switch
    {
        MiInt8 or MiUInt8 => 1,
        MiInt16 or MiUInt16 => 2,
        MiInt32 or MiUInt32 or MiSingle => 4,
        MiDouble or MiInt64 or MiUInt64 => 8,
        _ => 0,
    };

    private static double ReadNumber(ReadOnlySpan<byte> p, int type, int i) => type switch
    {
        MiInt8 => (sbyte)p[i],
        MiUInt8 => p[i],
        MiInt16 => BinaryPrimitives.ReadInt16LittleEndian(p[(2 * i)..]),
        MiUInt16 => BinaryPrimitives.ReadUInt16LittleEndian(p[(2 * i)..]),
        MiInt32 => BinaryPrimitives.ReadInt32LittleEndian(p[(4 * i)..]),
        MiUInt32 => BinaryPrimitives.ReadUInt32LittleEndian(p[(4 * i)..]),
        MiSingle => BinaryPrimitives.ReadSingleLittleEndian(p[(4 * i)..]),
        MiDouble => BinaryPrimitives.ReadDoubleLittleEndian(p[(8 * i)..]),
        MiInt64 => BinaryPrimitives.ReadInt64LittleEndian(p[(8 * i)..]),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(p[(8 * i)..]),
    };

    private static InvalidDataException Bad(string path, string message, Exception? inner = null) => new($"{path}: {message}.", inner);
}
