using System.Globalization;

namespace Engine.Experiments.Data.Formats;

/// <summary>
/// Reads the ".amat" text matrices of Larochelle et al. (binarised MNIST): one row per line, values
/// separated by single spaces (tabs and repeated blanks are tolerated), every line ending in '\n'
/// (a '\r' before it is ignored). Gzipped or raw, told apart by content. The last line must end
/// with a newline, so a file cut off mid-line is reported as truncated rather than read short; all
/// rows must have the same number of values. Errors are <see cref="InvalidDataException"/>s naming
/// the file and line.
/// </summary>
public static class AmatReader
{
    /// <param name="expectedColumns">When given, every row must have exactly this many values.</param>
    public static AmatMatrix Read(string path, int? expectedColumns = null)
    {
        using var file = File.OpenRead(path);
        using var stream = StreamBytes.OpenMaybeGzip(file);
        try
        {
            return Read(stream, path, expectedColumns);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message}).", e);
        }
    }

    public static AmatMatrix Read(Stream stream, string path, int? expectedColumns = null)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var text = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (text.IsEmpty)
        {
            throw new InvalidDataException($"{path}: empty .amat file (no rows).");
        }

        var columns = expectedColumns ?? -1;
        var values = new float[columns > 0 ? Math.Max(columns, text.Length / (2 * columns) * columns) : 1 << 12];
        var count = 0;
        var rows = 0;
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = rows + 1;
            if (end < 0)
            {
                throw new InvalidDataException($"{path}: truncated .amat file: line {line} does not end with a newline (after {rows} complete rows).");
            }

            var content = text[..end];
            if (!content.IsEmpty && content[^1] == (byte)'\r')
            {
                content = content[..^1];
            }

            if (columns > 0 && count + columns > values.Length)
            {
                Array.Resize(ref values, Math.Max(2 * values.Length, count + columns));
            }

            var n = columns > 0 && TryBinaryLine(content, columns, values.AsSpan(count, columns))
                ? columns
                : ParseLine(content, ref values, count, path, line);
            if (n == 0)
            {
                throw new InvalidDataException($"{path}: line {line} is empty (an .amat file has one row of values per line).");
            }

            if (columns < 0)
            {
                columns = n;
            }
            else if (n != columns)
            {
                var expected = expectedColumns.HasValue ? $"{columns} expected" : $"line 1 has {columns}";
                throw new InvalidDataException($"{path}: line {line} has {n} values; {expected}.");
            }

            count += n;
            rows++;
            text = text[(end + 1)..];
        }

        Array.Resize(ref values, count);
        return new AmatMatrix(rows, columns, values);
    }

    /// <summary>
    /// The common case, checked with vectorised span searches: exactly "d d … d" with single spaces
    /// and d ∈ {0, 1}. False (nothing consumed) for anything else, which the general parser handles.
    /// </summary>
    private static bool TryBinaryLine(ReadOnlySpan<byte> line, int columns, Span<float> destination)
    {
        if (line.Length != 2 * columns - 1 || line.IndexOfAnyExcept((byte)'0', (byte)'1', (byte)' ') >= 0
            || line[0] == (byte)' ' || line[^1] == (byte)' ' || line.Count((byte)' ') != columns - 1 || line.IndexOf("  "u8) >= 0)
        {
            return false;
        }

        // With columns − 1 single spaces, no leading/trailing blank and 2·columns − 1 bytes, every value is one digit at an even position.
        for (var k = 0; k < columns; k++)
        {
            destination[k] = line[2 * k] - '0';
        }

        return true;
    }

    /// <summary>Parses one line of general numbers into values[start…], growing the array; returns how many.</summary>
    private static int ParseLine(ReadOnlySpan<byte> line, ref float[] values, int start, string path, int lineNumber)
    {
        var n = 0;
        while (true)
        {
            var skip = line.IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (skip < 0)
            {
                return n;
            }

            line = line[skip..];
            var length = line.IndexOfAny((byte)' ', (byte)'\t');
            var token = length < 0 ? line : line[..length];
            if (start + n == values.Length)
            {
                Array.Resize(ref values, 2 * values.Length);
            }

            values[start + n++] = Parse(token, path, lineNumber);
            if (length < 0)
            {
                return n;
            }

            line = line[length..];
        }
    }

    private static float Parse(ReadOnlySpan<byte> token, string path, int line)
    {
        if (token.Length == 1 && token[0] is (byte)'0' or (byte)'1')
        {
            return token[0] - '0';
        }

        if (token.Length > 64 || !float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
        {
            var shown = System.Text.Encoding.ASCII.GetString(token[..Math.Min(token.Length, 64)]).Replace("\0", "\\0", StringComparison.Ordinal);
            throw new InvalidDataException($"{path}: line {line}: '{shown}' is not a finite number.");
        }

        return value;
    }
}
