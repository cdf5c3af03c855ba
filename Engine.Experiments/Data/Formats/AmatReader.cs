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
    private const int BufferSize = 1 << 16;

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
        var values = new float[1 << 16];
        var count = 0;
        var columns = expectedColumns ?? -1;
        var rows = 0;
        var inRow = 0;
        var line = 1;
        var token = new byte[64];
        var tokenLength = 0;
        var buffer = new byte[BufferSize];
        var lastByte = -1;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var c = buffer[i];
                lastByte = c;
                if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    if (tokenLength > 0)
                    {
                        if (count == values.Length)
                        {
                            Array.Resize(ref values, checked(values.Length * 2));
                        }

                        values[count++] = Parse(token.AsSpan(0, tokenLength), path, line);
                        tokenLength = 0;
                        inRow++;
                    }

                    if (c == (byte)'\n')
                    {
                        EndLine(ref columns, ref rows, ref inRow, path, line, expectedColumns.HasValue);
                        line++;
                    }
                }
                else
                {
                    if (tokenLength == token.Length)
                    {
                        throw new InvalidDataException($"{path}: line {line} holds a value longer than {token.Length} characters (not a number).");
                    }

                    token[tokenLength++] = c;
                }
            }
        }

        if (tokenLength > 0 || inRow > 0 || (lastByte != -1 && lastByte != '\n'))
        {
            throw new InvalidDataException($"{path}: truncated .amat file: line {line} does not end with a newline (after {rows} complete rows).");
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"{path}: empty .amat file (no rows).");
        }

        Array.Resize(ref values, count);
        return new AmatMatrix(rows, columns, values);
    }

    private static void EndLine(ref int columns, ref int rows, ref int inRow, string path, int line, bool fixedColumns)
    {
        if (inRow == 0)
        {
            throw new InvalidDataException($"{path}: line {line} is empty (an .amat file has one row of values per line).");
        }

        if (columns < 0)
        {
            columns = inRow;
        }
        else if (inRow != columns)
        {
            var expected = fixedColumns ? $"{columns} expected" : $"line 1 has {columns}";
            throw new InvalidDataException($"{path}: line {line} has {inRow} values; {expected}.");
        }

        rows++;
        inRow = 0;
    }

    private static float Parse(ReadOnlySpan<byte> token, string path, int line)
    {
        // Binarised MNIST is all "0" and "1": skip the general parser for those.
        if (token.Length == 1 && token[0] is (byte)'0' or (byte)'1')
        {
            return token[0] - '0';
        }

        if (!float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
        {
            var shown = System.Text.Encoding.ASCII.GetString(token).Replace("\0", "\\0", StringComparison.Ordinal);
            throw new InvalidDataException($"{path}: line {line}: '{shown}' is not a finite number.");
        }

        return value;
    }
}
