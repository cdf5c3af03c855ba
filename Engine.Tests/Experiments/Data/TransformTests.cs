using Engine.Experiments.Data;
using Engine.Experiments.Data.Transforms;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class TransformTests
{
    private const int N = 28;

    private static byte[] RandomImage(int seed)
    {
        var random = new Random(seed);
        var image = new byte[N * N];
        random.NextBytes(image);
        return image;
    }

    private static byte[] Rotate(byte[] image, double degrees)
    {
        var output = new byte[N * N];
        PilAffine.Rotate(image, output, N, N, degrees);
        return output;
    }

    [Test]
    public void Rotate_ZeroAnd360_AreIdentity_180IsAPointFlip()
    {
        var image = RandomImage(1);

        Assert.That(Rotate(image, 0), Is.EqualTo(image));
        Assert.That(Rotate(image, -360), Is.EqualTo(image));
        var flipped = Rotate(image, -180);
        Assert.That(flipped[0], Is.EqualTo(image[N * N - 1]));
        Assert.That(flipped[3 * N + 5], Is.EqualTo(image[(N - 1 - 3) * N + (N - 1 - 5)]));
    }

    [Test]
    public void Rotate_90_IsCounterClockwise_AndTheFastPathMatchesPillowsAffineMatrix()
    {
        var image = new byte[N * N];
        image[0 * N + 27] = 255; // top-right

        Assert.That(Array.IndexOf(Rotate(image, 90), (byte)255), Is.EqualTo(0), "top-right moves to top-left");

        var random = RandomImage(2);
        foreach (var (angle, cos, sin) in new[] { (90, 0.0, -1.0), (270, 0.0, 1.0), (180, -1.0, 0.0) })
        {
            // Pillow's inverse matrix for rotate(angle): [cos θ, sin θ, ·; −sin θ, cos θ, ·] with θ = −angle, re-centred on (14, 14).
            double[] m = [cos, sin, 0, -sin, cos, 0];
            m[2] = m[0] * -14 + m[1] * -14 + 14;
            m[5] = m[3] * -14 + m[4] * -14 + 14;
            var slow = new byte[N * N];
            PilAffine.Transform(random, slow, N, N, m);
            Assert.That(Rotate(random, angle), Is.EqualTo(slow), $"rotate {angle}");
        }
    }

    [Test]
    public void Rotate_GridAngles_AgreeWithExactGeometry()
    {
        var image = RandomImage(3);
        foreach (var angle in TransformedMnist.Values(TransformFamily.Rotation))
        {
            var fast = Rotate(image, angle);
            var theta = -angle * Math.PI / 180;
            var differing = 0;
            for (var y = 0; y < N; y++)
            {
                for (var x = 0; x < N; x++)
                {
                    // Inverse map of the output pixel centre about (14, 14), nearest = floor, black outside.
                    double px = x + 0.5 - 14, py = y + 0.5 - 14;
                    var xin = (int)Math.Floor(Math.Cos(theta) * px + Math.Sin(theta) * py + 14);
                    var yin = (int)Math.Floor(-Math.Sin(theta) * px + Math.Cos(theta) * py + 14);
                    var expected = xin is >= 0 and < N && yin is >= 0 and < N ? image[yin * N + xin] : 0;
                    differing += fast[y * N + x] != expected ? 1 : 0;
                }
            }

            // Pillow's 16.16 fixed point can move a sample across a pixel edge where it lands within ~1e-4 of it.
            Assert.That(differing, Is.LessThanOrEqualTo(8), $"rotation {angle}");
        }
    }

    [Test]
    public void ShearX_45_ShiftsRowYBy_YMinus13_AndPlusMinus180AreIdentity()
    {
        var image = RandomImage(4);
        var output = new byte[N * N];

        PilAffine.ShearX(image, output, N, N, 45);

        for (var y = 0; y < N; y++)
        {
            for (var x = 0; x < N; x++)
            {
                var xin = x + y - 13;
                Assert.That(output[y * N + x], Is.EqualTo(xin is >= 0 and < N ? image[y * N + xin] : 0), $"({y}, {x})");
            }
        }

        foreach (var angle in new[] { -180.0, 0, 180 })
        {
            PilAffine.ShearX(image, output, N, N, angle);
            Assert.That(output, Is.EqualTo(image), $"shear {angle}");
        }
    }

    [Test]
    public void ScaleCrop_Windows_AreTheReposRoundedBoxes()
    {
        // Computed with Python: w = 28·s, j = (28 − w) // 2, box = (round(j), round(j + w)).
        (int, int)[] expected = [(7, 21), (5, 22), (4, 24), (2, 24), (1, 26), (0, 28), (-2, 29), (-3, 31), (-5, 31), (-6, 33), (-7, 35), (-9, 36), (-10, 38), (-12, 38), (-13, 40)];

        Assert.That(TransformedMnist.Values(TransformFamily.Scale).Select(s => ScaleCrop.Window(N, s)), Is.EqualTo(expected));
    }

    [Test]
    public void ScaleCrop_IdentityAtOne_ZoomOutPadsBlack_ZoomInOfConstantStaysConstant()
    {
        var image = RandomImage(5);
        var output = new byte[N * N];
        ScaleCrop.Apply(image, output, N, N, 1.0);
        Assert.That(output, Is.EqualTo(image));

        var white = Enumerable.Repeat((byte)255, N * N).ToArray();
        ScaleCrop.Apply(white, output, N, N, 1.9);
        Assert.That(output[0], Is.EqualTo(0), "corner comes from the black padding");
        Assert.That(output[14 * N + 14], Is.EqualTo(255), "centre is still the image");

        ScaleCrop.Apply(white, output, N, N, 0.5);
        Assert.That(output, Is.All.EqualTo(255));
    }

    [Test]
    public void PilBilinear_Upsampling_MatchesPillowsTriangleFilter()
    {
        var output = new byte[4];

        PilBilinear.Resize([0, 255], 1, 2, output, 1, 4);

        // Pillow: centres 0.25, 0.75, 1.25, 1.75; edge samples see one input, inner ones 75/25 % mixes (63.75 → 64, 191.25 → 191).
        Assert.That(output, Is.EqualTo(new byte[] { 0, 64, 191, 255 }));
    }

    [Test]
    public void PilBilinear_Downsampling_Averages()
    {
        var output = new byte[2];

        PilBilinear.Resize([0, 0, 255, 255], 1, 4, output, 1, 2);

        // Scale 2: support 2, centres 1 and 3; triangle weights (0.75, 0.25) at distance ½ and 1½ on the in-range side.
        Assert.That(output[0], Is.LessThan(output[1]));
        Assert.That(output[0] + output[1], Is.EqualTo(255).Within(1));
    }

    [Test]
    public void MetaSplits_AreTheSpecsValueSets()
    {
        var rotation = TransformedMnist.Values(TransformFamily.Rotation);
        var scale = TransformedMnist.Values(TransformFamily.Scale);
        double[] Pick(IReadOnlyList<double> values, int[] indices) => indices.Select(i => values[i]).ToArray();

        Assert.That(rotation, Has.Count.EqualTo(18));
        Assert.That(scale, Has.Count.EqualTo(15));
        var (train, unseen) = TransformedMnist.Split(TransformFamily.Rotation, MetaSplit.Interleaved);
        Assert.That(Pick(rotation, train), Is.EqualTo(new double[] { -180, -140, -100, -60, -20, 20, 60, 100, 140 }));
        Assert.That(Pick(rotation, unseen), Is.EqualTo(new double[] { -160, -120, -80, -40, 0, 40, 80, 120, 160 }));
        Assert.That(Pick(rotation, TransformedMnist.Split(TransformFamily.Shear, MetaSplit.Sparse).Train), Is.EqualTo(new double[] { -160, -80, 0, 80, 160 }));
        Assert.That(TransformedMnist.Split(TransformFamily.Shear, MetaSplit.Sparse).Unseen, Has.Length.EqualTo(13));
        Assert.That(Pick(rotation, TransformedMnist.Split(TransformFamily.Rotation, MetaSplit.Contiguous).Train), Is.EqualTo(Enumerable.Range(0, 10).Select(k => -180.0 + 20 * k)));
        Assert.That(Pick(scale, TransformedMnist.Split(TransformFamily.Scale, MetaSplit.Interleaved).Train), Is.EqualTo(new[] { 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9 }).Within(1e-12));
        Assert.That(Pick(scale, TransformedMnist.Split(TransformFamily.Scale, MetaSplit.Sparse).Train), Is.EqualTo(new[] { 0.6, 1.0, 1.4, 1.8 }).Within(1e-12));
        Assert.That(Pick(scale, TransformedMnist.Split(TransformFamily.Scale, MetaSplit.Contiguous).Train), Is.EqualTo(new[] { 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2 }).Within(1e-12));
        Assert.That(TransformedMnist.Split(TransformFamily.Scale, MetaSplit.Contiguous).Unseen, Has.Length.EqualTo(7));
    }

    [Test]
    public void Apply_ImageSet_KeepsLabelsAndGoesThroughEightBits()
    {
        var pixels = Enumerable.Range(0, 2 * 784).Select(i => (i % 256) / 255f).ToArray();
        var images = new ImageSet(pixels, [3, 8], 784);

        var rotated = TransformedMnist.Apply(images, TransformFamily.Rotation, 180);

        Assert.That(rotated.Labels, Is.EqualTo(new byte[] { 3, 8 }));
        Assert.That(rotated.Row(1)[0], Is.EqualTo(images.Row(1)[783]));
        Assert.That(TransformedMnist.Describe(TransformFamily.Scale, 0.7000000000000001), Is.EqualTo("scale 0.7"));
    }
}
