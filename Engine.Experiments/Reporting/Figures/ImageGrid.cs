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
}
