namespace Engine.Experiments.Data.Formats;

/// <summary>
/// The header of a NumPy .npy array: its dtype string (e.g. "|b1", "&lt;i8"), shape, whether the data
/// is in Fortran (column-major) order, and where the data starts in the stream.
/// </summary>
public sealed record NpyHeader(string Descr, int[] Shape, bool FortranOrder, int DataOffset)
{
    /// <summary>Elements: the product of the shape (1 for a 0-d array).</summary>
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes per element (the digits after the type letter).</summary>
    public int ItemSize => int.Parse(Descr.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture);

    public long DataBytes => Count * ItemSize;

    public string DescribeShape() => $"({string.Join(", ", Shape)}) {Descr}";
}
