namespace Engine.Experiments.Data;

/// <summary>The contents of an IDX file of unsigned bytes: its dimensions and its data, row-major.</summary>
public sealed record IdxArray(int[] Dims, byte[] Data)
{
    /// <summary>Number of items (the first dimension).</summary>
    public int Count => Dims.Length == 0 ? 0 : Dims[0];

    /// <summary>Bytes per item (the product of the remaining dimensions).</summary>
    public int ItemSize => Dims.Skip(1).Aggregate(1, (a, b) => a * b);
}
