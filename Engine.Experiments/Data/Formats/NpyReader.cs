using System.Buffers.Binary;
using System.Text;

namespace Engine.Experiments.Data.Formats;

/// <summary>
/// Reads NumPy's .npy format (numpy/lib/format.py, versions 1.0–3.0): the magic "\x93NUMPY", a
/// version, a little-endian header length (2 bytes in v1, 4 in v2/v3), a Python dict literal
/// <c>{'descr': …, 'fortran_order': …, 'shape': (…), }</c> padded with spaces and ended by '\n',
/// then the raw data. Supported dtypes: bool, unsigned and signed integers of 1–8 bytes, float32
/// and float64, little-endian (or byte-order-free). Structured dtypes and pickled objects are
/// refused. The data must fill the stream exactly. Errors are <see cref="InvalidDataException"/>s
/// naming the source.
/// </summary>
public static class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Longest header accepted: numpy itself refuses more than 10,000 bytes by default.</summary>
    private const int MaxHeaderBytes = 1 << 16;

    public static NpyArray Read(string path)
    {
        using var file = File.OpenRead(path);
        return Read(file, file.Length, path);
    }

    /// <param name="length">Total bytes in <paramref name="stream"/> (header and data); the data must end exactly there.</param>
    /// <param name="source">Named in every error message (file, or "archive.npz:member.npy").</param>
    public static NpyArray Read(Stream stream, long length, string source)
    {
        var header = ReadHeader(stream, source);
        CheckLength(header, length, source);
        var data = new byte[header.DataBytes];
        ReadData(stream, header, data, source);
        return new NpyArray(header, data);
    }

    /// <summary>Checks that <paramref name="length"/> bytes hold exactly the header and the data it announces.</summary>
    public static void CheckLength(NpyHeader header, long length, string source)
    {
        var available = length - header.DataOffset;
        if (available < header.DataBytes)
        {
            throw Bad(source, $"truncated .npy data: shape {header.DescribeShape()} needs {header.DataBytes} bytes, found {Math.Max(available, 0)}");
        }

        if (available > header.DataBytes)
        {
            throw Bad(source, $"{available - header.DataBytes} unexpected bytes after the .npy data of shape {header.DescribeShape()}");
        }
    }

    /// <summary>Reads the data that follows a header into <paramref name="destination"/> (exactly DataBytes long).</summary>
    public static void ReadData(Stream stream, NpyHeader header, Span<byte> destination, string source)
    {
        if (destination.Length != header.DataBytes)
        {
            throw new ArgumentException($"NpyReader.ReadData: room for {destination.Length} bytes, the array has {header.DataBytes}.");
        }

        var got = StreamBytes.ReadFully(stream, destination);
        if (got < destination.Length)
        {
            throw Bad(source, $"truncated .npy data: shape {header.DescribeShape()} needs {header.DataBytes} bytes, found {got}");
        }
    }

    /// <summary>Reads and validates the magic, version and header dict; leaves the stream at the first data byte.</summary>
    public static NpyHeader ReadHeader(Stream stream, string source)
    {
        var prefix = new byte[10];
        var got = StreamBytes.ReadFully(stream, prefix.AsSpan(0, 8));
        if (got < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw Bad(source, got < 8 && prefix.AsSpan(0, got).SequenceEqual(Magic.AsSpan(0, Math.Min(got, 6)))
                ? $"truncated .npy file ({got} bytes)"
                : $"not a .npy file (bad magic {Convert.ToHexString(prefix, 0, Math.Min(got, 6))}; expected 934E554D5059)");
        }

        var major = prefix[6];
        int headerLength, offset;
        if (major == 1)
        {
            if (StreamBytes.ReadFully(stream, prefix.AsSpan(8, 2)) < 2)
            {
                throw Bad(source, "truncated .npy header length");
            }

            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8));
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            Span<byte> four = stackalloc byte[4];
            if (StreamBytes.ReadFully(stream, four) < 4)
            {
                throw Bad(source, "truncated .npy header length");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(four);
            if (length > MaxHeaderBytes)
            {
                throw Bad(source, $".npy header length {length} is implausible (more than {MaxHeaderBytes})");
            }

            headerLength = (int)length;
            offset = 12;
        }
        else
        {
            throw Bad(source, $".npy format version {major}.{prefix[7]} is not supported (1.0–3.0 are)");
        }

        var text = new byte[headerLength];
        if (StreamBytes.ReadFully(stream, text) < headerLength)
        {
            throw Bad(source, $"truncated .npy header (announced {headerLength} bytes)");
        }

        var dict = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        if (!dict.EndsWith('\n'))
        {
            throw Bad(source, ".npy header does not end with a newline");
        }

        var (descr, fortran, shape) = ParseDict(dict.TrimEnd(), source);
        return new NpyHeader(descr, shape, fortran, offset + headerLength);
    }

    private static (string Descr, bool Fortran, int[] Shape) ParseDict(string text, string source)
    {
        var p = new PyLiteral(text, source);
        string? descr = null;
        bool? fortran = null;
        int[]? shape = null;
        p.Expect('{');
        while (!p.TryConsume('}'))
        {
            var key = p.ReadString();
            p.Expect(':');
            switch (key)
            {
                case "descr":
                    if (p.Peek() != '\'' && p.Peek() != '"')
                    {
                        throw Bad(source, $"structured or object dtype in header {text} is not supported (only plain numeric dtypes)");
                    }

                    descr = CheckDescr(p.ReadString(), source);
                    break;
                case "fortran_order":
                    fortran = p.ReadBool();
                    break;
                case "shape":
                    shape = p.ReadIntTuple();
                    break;
                default:
                    throw Bad(source, $"unexpected key '{key}' in the .npy header {text}");
            }

            if (!p.TryConsume(','))
            {
                p.Expect('}');
                break;
            }
        }

        p.ExpectEnd();
        if (descr is null || fortran is null || shape is null)
        {
            throw Bad(source, $".npy header {text} lacks 'descr', 'fortran_order' or 'shape'");
        }

        // Multiply step by step so a corrupt shape cannot overflow into a small or negative size.
        long bytes = int.Parse(descr.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);
        foreach (var d in shape)
        {
            bytes *= d;
            if (bytes > Array.MaxLength)
            {
                throw Bad(source, $"array of shape ({string.Join(", ", shape)}) {descr} is too large to load");
            }
        }

        return (descr, fortran.Value, shape);
    }

    private static string CheckDescr(string descr, string source)
    {
        if (descr.Length >= 3 && descr[0] is '<' or '|' or '=' or '>' && int.TryParse(descr.AsSpan(2), out var size))
        {
            var ok = descr[1] switch
            {
                'b' => size == 1,
                'u' or 'i' => size is 1 or 2 or 4 or 8,
                'f' => size is 4 or 8,
                _ => false,
            };
            if (ok && (descr[0] != '>' || size == 1))
            {
                return descr;
            }

            if (ok)
            {
                throw Bad(source, $"big-endian dtype '{descr}' is not supported");
            }
        }

        throw Bad(source, $"dtype '{descr}' is not supported (bool, integers of 1–8 bytes, float32 and float64 are)");
    }

    private static InvalidDataException Bad(string source, string message) => new($"{source}: {message}.");

    /// <summary>Just enough of a Python literal parser for the header dict: strings, True/False, tuples of integers.</summary>
    private sealed class PyLiteral(string text, string source)
    {
        private int _pos;

        public char Peek()
        {
            SkipBlanks();
            return _pos < text.Length ? text[_pos] : '\0';
        }

        public void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Bad(source, $"malformed .npy header: expected '{c}' at character {_pos} of {text}");
            }
        }

        public bool TryConsume(char c)
        {
            if (Peek() != c)
            {
                return false;
            }

            _pos++;
            return true;
        }

        public void ExpectEnd()
        {
            if (Peek() != '\0')
            {
                throw Bad(source, $"malformed .npy header: unexpected text after the dict in {text}");
            }
        }

        public string ReadString()
        {
            var quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Bad(source, $"malformed .npy header: expected a string at character {_pos} of {text}");
            }

            var end = text.IndexOf(quote, _pos + 1);
            if (end < 0)
            {
                throw Bad(source, $"malformed .npy header: unterminated string in {text}");
            }

            var s = text[(_pos + 1)..end];
            _pos = end + 1;
            return s;
        }

        public bool ReadBool()
        {
            Peek();
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
            {
                if (string.CompareOrdinal(text, _pos, word, 0, word.Length) == 0)
                {
                    _pos += word.Length;
                    return value;
                }
            }

            throw Bad(source, $"malformed .npy header: expected True or False at character {_pos} of {text}");
        }

        public int[] ReadIntTuple()
        {
            Expect('(');
            var values = new List<int>();
            while (!TryConsume(')'))
            {
                Peek();
                var start = _pos;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos]))
                {
                    _pos++;
                }

                if (_pos == start || !int.TryParse(text.AsSpan(start, _pos - start), out var v))
                {
                    throw Bad(source, $"malformed .npy header: expected a non-negative dimension at character {start} of {text}");
                }

                values.Add(v);
                if (!TryConsume(','))
                {
                    Expect(')');
                    break;
                }
            }

            return [.. values];
        }

        private void SkipBlanks()
        {
            while (_pos < text.Length && text[_pos] is ' ' or '\t' or '\n' or '\r')
            {
                _pos++;
            }
        }
    }
}
