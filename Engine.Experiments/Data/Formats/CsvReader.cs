using System.Text;

namespace Engine.Experiments.Data.Formats;

/// <summary>
/// Reads comma-separated text with a header row (RFC 4180: fields may be double-quoted, a quote
/// inside a quoted field is doubled, quoted fields may contain commas and newlines; CRLF or LF).
/// Every row must have as many fields as the header. Errors name the file and line.
/// </summary>
public static class CsvReader
{
    public static CsvTable Read(string path)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{path}: not UTF-8 text ({e.Message}).", e);
        }

        return Parse(text, path);
    }

    public static CsvTable Parse(string text, string path)
    {
        var records = new List<(string[] Fields, int Line)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var i = 0;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            i = 1; // byte-order mark
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case '"':
                    throw new InvalidDataException($"{path}: line {line}: a quote inside an unquoted field.");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(([.. fields], recordLine));
                    fields.Clear();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new InvalidDataException($"{path}: truncated CSV: a quoted field opened on line {recordLine} is never closed.");
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(([.. fields], recordLine));
        }

        if (records.Count == 0)
        {
            throw new InvalidDataException($"{path}: empty CSV file (no header row).");
        }

        var header = records[0].Fields;
        foreach (var (row, at) in records.Skip(1))
        {
            if (row.Length != header.Length)
            {
                throw new InvalidDataException($"{path}: line {at} has {row.Length} fields; the header has {header.Length} ({string.Join(",", header)}).");
            }
        }

        return new CsvTable(path, header, records.Skip(1).Select(r => r.Fields).ToArray());
    }
}
