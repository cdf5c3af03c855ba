using Engine.Kernels.Cpu;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// LayoutKernels.TransposeRows (the direct weight gradient's last step): every block height up to 16, with the register
/// transpose's 16 rows and its column tails, into rows further apart than the block is high; values move bit for bit and
/// nothing outside the block's places is written.
/// </summary>
public class TransposeRowsTests
{
    [Test]
    public void TransposeRows_MatchesIndexByIndex([Values(1, 5, 15, 16)] int rows, [Values(1, 16, 17, 64)] int cols)
    {
        const int ld = 37;
        var from = Enumerable.Range(0, rows * cols).Select(i => BitConverter.Int32BitsToSingle(0x3f800000 + i * 977)).ToArray();
        var to = Enumerable.Repeat(float.NaN, (cols - 1) * ld + rows + 5).ToArray();
        LayoutKernels.TransposeRows(from, rows, cols, to, ld);
        for (var j = 0; j < cols; j++)
        {
            for (var i = 0; i < ld && j * ld + i < to.Length; i++)
            {
                var at = j * ld + i;
                if (i < rows)
                {
                    Assert.That(BitConverter.SingleToInt32Bits(to[at]), Is.EqualTo(BitConverter.SingleToInt32Bits(from[i * cols + j])), $"row {i}, column {j}");
                }
                else
                {
                    Assert.That(to[at], Is.NaN, $"place {at} outside the block was written");
                }
            }
        }
    }

    [Test]
    public void TransposeRows_BlockTooLargeOrDestinationShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => LayoutKernels.TransposeRows(new float[17 * 4], 17, 4, new float[4 * 17], 17));
        var error = Assert.Throws<ArgumentException>(() => LayoutKernels.TransposeRows(new float[4 * 4], 4, 4, new float[3 * 8 + 3], 8));
        Assert.That(error!.Message, Does.Contain("does not fit"));
    }
}
