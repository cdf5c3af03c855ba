using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Engine.Kernels.Cpu.Operators;

namespace Engine.Kernels.Cpu;

/// <summary>
/// The <see cref="Philox.Normal"/> stream for a run of elements, with Box–Muller's log and square root on whole
/// blocks (TensorPrimitives, float64 vectors) and its cosine by <see cref="TurnCosine"/> instead of one libm call
/// each. (TensorPrimitives.Cos(double) was used before; its last bit depended on the block's memory alignment, so one
/// thread and two drew different values.) Element i is still a pure function of (seed, counter + i), so any
/// split over threads gives the same values; they may differ from the scalar
/// <see cref="Philox.Normal"/> in the last bits of the float64 intermediate.
/// </summary>
internal readonly struct NormalFill<T>(T[] target, int offset, ulong seed, ulong counter, double mean, double std) : IRangeBody
    where T : unmanaged, INumberBase<T>
{
    /// <summary>Elements per block: two float64 scratch runs of this length stay in L1.</summary>
    private const int Block = 512;

    /// <summary>a[i] = cos(2π·a[i]), each element from its own value only (see <see cref="TurnCosine"/>; a.Length is a multiple of 8).</summary>
    private static void CosineOfTurns(Span<double> a)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            for (var i = 0; i < a.Length; i += Vector512<double>.Count)
            {
                TurnCosine.Cos(Vector512.Create<double>(a.Slice(i, Vector512<double>.Count))).CopyTo(a.Slice(i, Vector512<double>.Count));
            }

            return;
        }

        foreach (ref var v in a)
        {
            v = Math.Cos(2.0 * Math.PI * v);
        }
    }

    [SkipLocalsInit]
    public void Run(int start, int end)
    {
        Span<double> radius = stackalloc double[Block];
        Span<double> angle = stackalloc double[Block];
        for (var first = start; first < end; first += Block)
        {
            var n = Math.Min(Block, end - first);
            // NOTE: the math runs on a multiple of 8 elements (the extra counters are computed and dropped), so
            // TensorPrimitives never takes a scalar or overlapping tail: an element's value cannot depend on
            // where a thread's chunk or a block ends.
            var padded = (n + 7) & ~7;
            var r = radius[..padded];
            var a = angle[..padded];
            if (PhiloxVector.IsSupported)
            {
                for (var i = 0; i < padded; i += 8)
                {
                    PhiloxVector.OpenUnits8(counter + (ulong)(first + i), seed, ref r[i], ref a[i]);
                }
            }
            else
            {
                for (var i = 0; i < padded; i++)
                {
                    var (w0, w1, w2, w3) = Philox.Block(counter + (ulong)(first + i), seed);
                    r[i] = Philox.OpenUnit(w0, w1);
                    a[i] = Philox.OpenUnit(w2, w3);
                }
            }

            TensorPrimitives.Log(r, r);
            TensorPrimitives.Multiply(r, -2.0, r);
            TensorPrimitives.Sqrt(r, r);
            CosineOfTurns(a);
            TensorPrimitives.Multiply(r, a, r);
            TensorPrimitives.Multiply(r, std, r);
            TensorPrimitives.Add(r, mean, r);
            TensorPrimitives.ConvertTruncating<double, T>(r[..n], target.AsSpan(offset + first, n)); // float: rounded to nearest
        }
    }
}
