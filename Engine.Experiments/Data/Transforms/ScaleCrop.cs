namespace Engine.Experiments.Data.Transforms;

/// <summary>
/// The MetaVAE "scale" transformation (metavae.md §6; the repo's get_crop_params + torchvision
/// resized_crop on a PIL image): a square window of side s·w starting at ⌊(w − s·w)/2⌋ on both
/// axes, its corners rounded half-to-even as Pillow's crop rounds them (so the window is an integer
/// number of pixels, sometimes one off centre), black outside the image, then resized back to the
/// original size with Pillow's bilinear filter (<see cref="PilBilinear"/>). s &lt; 1 zooms in (a
/// larger digit), s &gt; 1 zooms out (a smaller one); s = 1 is the identity.
/// </summary>
public static class ScaleCrop
{
    /// <summary>The integer crop box (left = top, right = bottom, exclusive) for scale <paramref name="s"/> of a side of <paramref name="size"/> pixels.</summary>
    public static (int Start, int End) Window(int size, double s)
    {
        var extent = size * s;
        var start = Math.Floor((size - extent) / 2);
        return ((int)Math.Round(start, MidpointRounding.ToEven), (int)Math.Round(start + extent, MidpointRounding.ToEven));
    }

    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, int height, int width, double s)
    {
        if (height != width)
        {
            throw new ArgumentException($"ScaleCrop: square images only, got {height}×{width}.");
        }

        var (start, end) = Window(width, s);
        var side = end - start;
        var window = new byte[side * side];
        for (var r = 0; r < side; r++)
        {
            var y = start + r;
            if (y < 0 || y >= height)
            {
                continue;
            }

            for (var c = 0; c < side; c++)
            {
                var x = start + c;
                if (x >= 0 && x < width)
                {
                    window[r * side + c] = source[y * width + x];
                }
            }
        }

        if (side == width)
        {
            window.CopyTo(destination); // Pillow's resize returns a copy when the size does not change
            return;
        }

        PilBilinear.Resize(window, side, side, destination, height, width);
    }
}
