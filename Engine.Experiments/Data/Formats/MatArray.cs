namespace Engine.Experiments.Data.Formats;

/// <summary>
/// One MATLAB variable read from a Level-5 MAT-file. Numeric arrays keep MATLAB's column-major
/// element order in <see cref="Real"/> (element (i, j) of an m×n array is Real[j·m + i]); char
/// arrays decode to <see cref="Text"/>; cell arrays hold their elements in <see cref="Cells"/>
/// (column-major as well).
/// </summary>
public sealed class MatArray
{
    public MatArray(string name, MatClass @class, int[] dims, double[] real, string? text = null, IReadOnlyList<MatArray>? cells = null, bool logical = false)
    {
        Name = name;
        Class = @class;
        Dims = dims;
        Real = real;
        Text = text;
        Cells = cells ?? [];
        Logical = logical;
    }

    public string Name { get; }

    /// <summary>The class MATLAB reports (the stored element type may be narrower, e.g. double stored as uint8).</summary>
    public MatClass Class { get; }

    public int[] Dims { get; }

    /// <summary>Numeric values as doubles, column-major; empty for char and cell arrays.</summary>
    public double[] Real { get; }

    public string? Text { get; }

    public IReadOnlyList<MatArray> Cells { get; }

    public bool Logical { get; }

    public long Count => Dims.Aggregate(1L, (a, b) => a * b);

    public bool IsNumeric => Class is >= MatClass.Double and <= MatClass.UInt64;

    public string DescribeShape() => $"{string.Join("×", Dims)} {Class.ToString().ToLowerInvariant()}";
}
