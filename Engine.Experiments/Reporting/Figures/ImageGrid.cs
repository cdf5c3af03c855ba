namespace Engine.Experiments.Reporting.Figures;

/// <summary>Tiles equally sized greyscale images (values in [0, 1]) into one PNG, with a 1-pixel dark gutter.</summary>
public static class ImageGrid
{
    /// <param name="images">count × (height·width) values, row-major per image.</param>
    public static void Write(string path, ReadOnlySpan<float> images, int count, int height, int width, int columns = 8)
    {
        if (count <= 0 || images.Length < count * height * width)
        {
            throw new ArgumentException($"ImageGrid: {images.Length} values cannot hold {count} images of {height}×{width}.");
        }

        columns = Math.Min(columns, count);
        var rows = (count + columns - 1) / columns;
        int gridWidth = columns * (width + 1) + 1, gridHeight = rows * (height + 1) + 1;
        var grid = new float[gridWidth * gridHeight];
        for (var i = 0; i < count; i++)
        {
            int top = 1 + i / columns * (height + 1), left = 1 + i % columns * (width + 1);
            for (var r = 0; r < height; r++)
            {
                images.Slice(i * height * width + r * width, width).CopyTo(grid.AsSpan((top + r) * gridWidth + left, width));
            }
        }

        PngWriter.WriteGrey(path, grid, gridWidth, gridHeight);
    }

    /// <summary>
    /// Originals above their reconstructions: rows alternate between <paramref name="columns"/> originals
    /// and the same images' reconstructions (both <paramref name="pairs"/> × (height·width) values).
    /// </summary>
    public static void WritePairs(string path, ReadOnlySpan<float> originals, ReadOnlySpan<float> reconstructions, int pairs, int height, int width, int columns = 8)
    {
        var d = height * width;
        if (pairs <= 0 || originals.Length < pairs * d || reconstructions.Length < pairs * d)
        {
            throw new ArgumentException($"ImageGrid.WritePairs: {originals.Length} and {reconstructions.Length} values cannot hold {pairs} images of {height}×{width} each.");
        }

        columns = Math.Min(columns, pairs);
        var rows = (pairs + columns - 1) / columns;
        var grid = new float[2 * rows * columns * d];
        for (var i = 0; i < pairs; i++)
        {
            var (row, column) = (i / columns, i % columns);
            originals.Slice(i * d, d).CopyTo(grid.AsSpan((2 * row * columns + column) * d, d));
            reconstructions.Slice(i * d, d).CopyTo(grid.AsSpan(((2 * row + 1) * columns + column) * d, d));
        }

        Write(path, grid, 2 * rows * columns, height, width, columns);
    }
}
