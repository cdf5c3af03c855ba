using Engine.Kernels;
using Engine.Kernels.Cpu.Conv;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// <c>DirectConvLayout.Pad</c> against an index-by-index padding: every value of every padded plane (the image at
/// (PadH, PadW), zeros elsewhere), nothing written past the planes, over rows that take each route (one 16-value store,
/// two, the general copy past 32, and image rows of 4 to 15 values as two overlapping vectors of 4 or 8) and planes larger
/// than the padded image (the phase layouts).
/// </summary>
public class ConvPaddingTests
{
    [TestCase(1, 7, 7, 1, 1, 9, 9)]      // the conv VAE's 7 × 7 planes: two overlapping 4-value vectors a row
    [TestCase(2, 4, 4, 1, 1, 6, 6)]      // rows of exactly one 4-value vector (both vectors the same)
    [TestCase(2, 5, 5, 1, 2, 7, 9)]      // rows of 5: vectors overlapping in 3 values; unequal padding
    [TestCase(2, 8, 8, 0, 0, 8, 8)]      // rows of exactly one 8-value vector, no padding
    [TestCase(2, 3, 9, 1, 2, 6, 13)]     // rows of 9: two 8-value vectors
    [TestCase(1, 2, 15, 1, 0, 5, 15)]    // rows of 15, no column padding: the second vector ends at the plane's row end
    [TestCase(2, 3, 3, 1, 1, 5, 5)]      // rows of 3: the general copy
    [TestCase(3, 14, 14, 1, 1, 16, 16)]  // a whole 16-value row
    [TestCase(2, 28, 28, 2, 2, 32, 32)]  // the hypernetwork's first layer: two stores
    [TestCase(2, 5, 13, 2, 3, 10, 19)]   // wider planes than the padded image
    [TestCase(4, 3, 1, 0, 0, 4, 2)]      // one column, no padding
    [TestCase(2, 6, 30, 1, 1, 8, 33)]    // past 32: the general copy
    public void Pad_MatchesIndexByIndex(int c, int h, int w, int padH, int padW, int hp, int wp)
    {
        var g = new ConvGeometry(1, c, h, w, 1, 1, 1, 1, 1, padH, padW, h + 2 * padH, w + 2 * padW);
        var random = new Random(h * 100 + w);
        var image = Enumerable.Range(0, c * h * w).Select(_ => (float)random.NextDouble() + 1).ToArray();
        const float guard = -7f;
        var padded = Enumerable.Repeat(float.NaN, c * hp * wp).Concat(Enumerable.Repeat(guard, 40)).ToArray();

        DirectConvLayout.Pad(g, image, padded, hp, wp);

        for (var ch = 0; ch < c; ch++)
        {
            for (var y = 0; y < hp; y++)
            {
                for (var x = 0; x < wp; x++)
                {
                    var (iy, ix) = (y - padH, x - padW);
                    var expected = iy >= 0 && iy < h && ix >= 0 && ix < w ? image[(ch * h + iy) * w + ix] : 0f;
                    Assert.That(padded[(ch * hp + y) * wp + x], Is.EqualTo(expected), $"plane {ch}, row {y}, column {x}");
                }
            }
        }

        Assert.That(padded[(c * hp * wp)..], Is.All.EqualTo(guard), "nothing written past the planes");
    }

    [Test]
    public void Pad_ShortBuffers_AreRefused()
    {
        var g = new ConvGeometry(1, 2, 4, 4, 1, 1, 1, 1, 1, 1, 1, 6, 6);
        Assert.Throws<ArgumentException>(() => DirectConvLayout.Pad(g, new float[31], new float[72], 6, 6));
        Assert.Throws<ArgumentException>(() => DirectConvLayout.Pad(g, new float[32], new float[71], 6, 6));
    }
}
