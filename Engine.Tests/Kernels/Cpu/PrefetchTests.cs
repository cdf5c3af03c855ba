using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>Prefetch.Slice spreads a region's cache lines over slices of work: together the slices must cover every line once.</summary>
public class PrefetchTests
{
    [TestCase(0L, 1)]
    [TestCase(1L, 1)]
    [TestCase(64L, 3)]
    [TestCase(65L, 2)]
    [TestCase(425_000L, 48)]
    [TestCase(100L, 48)] // fewer lines than slices: most slices are empty
    public void Lines_SlicesCoverEveryLineOnce(long bytes, int slices)
    {
        var next = 0L;
        for (var i = 0; i < slices; i++)
        {
            var (first, last) = Prefetch.Lines(bytes, i, slices);
            Assert.That(first, Is.EqualTo(next), $"slice {i} starts where slice {i - 1} ended");
            Assert.That(last, Is.GreaterThanOrEqualTo(first));
            next = last;
        }

        Assert.That(next, Is.EqualTo((bytes + 63) / 64), "the last slice ends at the region's last line");
    }
}
