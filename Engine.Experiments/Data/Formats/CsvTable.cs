namespace Engine.Experiments.Data.Formats;

/// <summary>A CSV file with a header row: column names and the data rows (all the same width).</summary>
public sealed class CsvTable(string path, string[] header, IReadOnlyList<string[]> rows)
{
    public string Path { get; } = path;

    public string[] Header { get; } = header;

    public IReadOnlyList<string[]> Rows { get; } = rows;

    /// <summary>Index of column <paramref name="name"/>; throws naming the file and the columns it has.</summary>
    public int Column(string name)
    {
        var i = Array.IndexOf(Header, name);
        return i >= 0 ? i : throw new InvalidDataException($"{Path}: no column '{name}' (columns: {string.Join(", ", Header)}).");
    }

    /// <summary>The integer in column <paramref name="column"/> of data row <paramref name="row"/> (0-based, header excluded).</summary>
    public int Int(int row, int column) =>
        int.TryParse(Rows[row][column], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new InvalidDataException($"{Path}: line {row + 2}, column '{Header[column]}': '{Rows[row][column]}' is not an integer.");
}
