namespace Engine.Experiments.Data.Transforms;

/// <summary>
/// Nearest-neighbour affine resampling of an 8-bit greyscale image exactly as Pillow's
/// <c>Image.transform(size, AFFINE, matrix, NEAREST)</c> does it (libImaging/Geometry.c,
/// affine_fixed): the inverse matrix (a, b, c, d, e, f) maps output pixel centre (x + ½, y + ½) to
/// input coordinates (a·x' + b·y' + c, d·x' + e·y' + f); the coefficients are converted to 16.16
/// fixed point (round half up), the input pixel is (⌊x_in⌋, ⌊y_in⌋) by arithmetic shift, and
/// outputs whose source is outside the image are black. Same canvas size in and out.
/// <see cref="Rotate"/> and <see cref="ShearX"/> build the matrices Pillow's <c>rotate</c> and
/// torchvision's <c>affine</c> build (metavae.md §6).
/// </summary>
public static class PilAffine
{
    /// <summary>
    /// Pillow's <c>rotate(degrees)</c> (counter-clockwise for positive angles, about the centre
    /// (w/2, h/2), nearest, black fill, canvas not expanded): angle taken mod 360, 0 copies, 180 and
    /// (for square images) 90/270 are exact transposes, other angles use the affine path with the
    /// matrix rounded to 15 decimals as Pillow does.
    /// </summary>
    public static void Rotate(ReadOnlySpan<byte> source, Span<byte> destination, int height, int width, double degrees)
    {
        var angle = ((degrees % 360.0) + 360.0) % 360.0;
        if (angle == 0)
        {
            source.CopyTo(destination);
            return;
        }

        if (angle == 180 || (angle is 90 or 270 && height == width))
        {
            Transpose(source, destination, height, width, (int)angle);
            return;
        }

        var radians = -angle * Math.PI / 180.0;
        double cos = Math.Round(Math.Cos(radians), 15), sin = Math.Round(Math.Sin(radians), 15);
        double cx = width / 2.0, cy = height / 2.0;
        double[] m = [cos, sin, 0, -sin, cos, 0];
        m[2] = m[0] * -cx + m[1] * -cy + cx;
        m[5] = m[3] * -cx + m[4] * -cy + cy;
        Transform(source, destination, height, width, m);
    }

    /// <summary>
    /// torchvision's <c>affine(img, angle=0, translate=(0,0), scale=1, shear=degrees)</c> on a PIL
    /// image: an x-shear x' = x − tan(φ)·(y − cy) about the centre (w/2, h/2), whose inverse is
    /// x_in = x' + tan(φ)·(y' − cy). φ = ±180° is the identity up to rounding; ±90° is degenerate.
    /// </summary>
    public static void ShearX(ReadOnlySpan<byte> source, Span<byte> destination, int height, int width, double degrees)
    {
        var t = Math.Tan(degrees * Math.PI / 180.0);
        double cx = width / 2.0, cy = height / 2.0;

        // torchvision's inverse matrix for rotation 0, shear (φ, 0): [1, tan φ, 0; 0, 1, 0], then re-centred.
        double[] m = [1, t, 0, 0, 1, 0];
        m[2] = m[0] * -cx + m[1] * -cy + cx;
        m[5] = m[3] * -cx + m[4] * -cy + cy;
        if (m[1] == 0 && m[3] == 0)
        {
            // Pillow's scaling path; with unit scale and no offset it is a copy.
            source.CopyTo(destination);
            return;
        }

        Transform(source, destination, height, width, m);
    }

    /// <summary>The fixed-point nearest-neighbour affine loop of Pillow (affine_fixed), for in-range matrices.</summary>
    public static void Transform(ReadOnlySpan<byte> source, Span<byte> destination, int height, int width, double[] m)
    {
        if (source.Length != height * width || destination.Length != height * width || m.Length != 6)
        {
            throw new ArgumentException($"PilAffine.Transform: {source.Length} → {destination.Length} bytes for {height}×{width}, {m.Length} coefficients.");
        }

        int a0 = Fix(m[0]), a1 = Fix(m[1]), a3 = Fix(m[3]), a4 = Fix(m[4]);
        int a2 = Fix(m[2] + m[0] * 0.5 + m[1] * 0.5), a5 = Fix(m[5] + m[3] * 0.5 + m[4] * 0.5);
        for (var y = 0; y < height; y++)
        {
            int xx = a2, yy = a5;
            for (var x = 0; x < width; x++)
            {
                int xin = xx >> 16, yin = yy >> 16;
                destination[y * width + x] = xin >= 0 && xin < width && yin >= 0 && yin < height ? source[yin * width + xin] : (byte)0;
                xx += a0;
                yy += a3;
            }

            a2 += a1;
            a5 += a4;
        }
    }

    /// <summary>Pillow's FIX(v) = FLOOR(v·65536 + 0.5), saturated to int so a degenerate (±90°) shear cannot overflow.</summary>
    private static int Fix(double v)
    {
        var f = Math.Floor(v * 65536.0 + 0.5);
        return f >= int.MaxValue ? int.MaxValue : f <= int.MinValue ? int.MinValue : (int)f;
    }

    private static void Transpose(ReadOnlySpan<byte> s, Span<byte> d, int h, int w, int angle)
    {
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                // Output (x, y) takes the input pixel that a counter-clockwise rotation moves there.
                d[y * w + x] = angle switch
                {
                    180 => s[(h - 1 - y) * w + (w - 1 - x)],
                    90 => s[x * w + (w - 1 - y)],
                    _ => s[(h - 1 - x) * w + y],
                };
            }
        }
    }
}
