
namespace Engine.Experiments.Data.Transforms;

/// <summary>
/// Transformed MNIST for MetaVAE (metavae.md §6): each value of a family turns every MNIST image
/// into its transformed copy, one dataset per value, aligned by index with the source. Values are
/// the MI repo's numpy grids: rotations and shears −180, −160, …, 160 degrees (18), scales
/// 0.5 + 0.1·k for k = 0…14 (15; the crop windows they give are the same whether k·0.1 or numpy's arange step is used). Rotation and shear are Pillow
/// nearest-neighbour affine maps with black fill (<see cref="PilAffine"/>); scale is a crop window
/// resized back bilinearly (<see cref="ScaleCrop"/>). Pixels go through 8 bits, as the repo's PIL
/// images do: grey MNIST k/255 in, k'/255 out.
/// </summary>
public static class TransformedMnist
{
    /// <summary>The family's values in the repo's order.</summary>
    public static IReadOnlyList<double> Values(TransformFamily family) => family switch
    {
        TransformFamily.Scale => Enumerable.Range(0, 15).Select(k => 0.5 + k * 0.1).ToArray(),
        _ => Enumerable.Range(0, 18).Select(k => -180.0 + 20 * k).ToArray(),
    };

    /// <summary>Indices into <see cref="Values"/> of the meta-training values and of the held-out ones.</summary>
    public static (int[] Train, int[] Unseen) Split(TransformFamily family, MetaSplit split)
    {
        var n = Values(family).Count;
        var all = Enumerable.Range(0, n).ToArray();
        int[] train = split switch
        {
            MetaSplit.Interleaved => all.Where(i => i % 2 == 0).ToArray(),
            MetaSplit.Contiguous => all[..(n / 2 + 1)],

            // Sparse: rotation/shear {−160, −80, 0, 80, 160} = indices 1, 5, 9, 13, 17; scale {0.6, 1.0, 1.4, 1.8} = indices 1, 5, 9, 13.
            _ => family == TransformFamily.Scale ? [1, 5, 9, 13] : [1, 5, 9, 13, 17],
        };
        return (train, all.Except(train).ToArray());
    }

    /// <summary>Transforms one 28×28 byte image.</summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, TransformFamily family, double value)
    {
        switch (family)
        {
            case TransformFamily.Rotation:
                PilAffine.Rotate(source, destination, Mnist.Rows, Mnist.Cols, value);
                break;
            case TransformFamily.Shear:
                PilAffine.ShearX(source, destination, Mnist.Rows, Mnist.Cols, value);
                break;
            default:
                ScaleCrop.Apply(source, destination, Mnist.Rows, Mnist.Cols, value);
                break;
        }
    }

    /// <summary>The transformed copy of every image of <paramref name="images"/> (28×28 grey), labels kept.</summary>
    public static ImageSet Apply(ImageSet images, TransformFamily family, double value)
    {
        if (images.Dim != Mnist.Pixels)
        {
            throw new ArgumentException($"TransformedMnist: images of {images.Dim} pixels, expected {Mnist.Pixels} (28×28).");
        }

        var result = new float[images.Pixels.Length];
        Parallel.For(0, images.Count, () => (new byte[Mnist.Pixels], new byte[Mnist.Pixels]), (i, _, buffers) =>
        {
            var (input, output) = buffers;
            var row = images.Row(i);
            for (var p = 0; p < input.Length; p++)
            {
                input[p] = (byte)Math.Round(Math.Clamp(row[p], 0f, 1f) * 255f);
            }

            Apply(input, output, family, value);
            var target = result.AsSpan(i * Mnist.Pixels, Mnist.Pixels);
            for (var p = 0; p < output.Length; p++)
            {
                target[p] = output[p] / 255f;
            }

            return buffers;
        }, _ => { });
        return new ImageSet(result, images.Labels, images.Dim);
    }

    /// <summary>A readable name for a value: "rotation -160", "scale 0.6", "shear 40".</summary>
    public static string Describe(TransformFamily family, double value) =>
        $"{family.ToString().ToLowerInvariant()} {value.ToString(family == TransformFamily.Scale ? "0.0" : "0", System.Globalization.CultureInfo.InvariantCulture)}";
}
