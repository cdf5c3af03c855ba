using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Engine.Kernels.Cpu;

/// <summary>
/// The <see cref="Philox.Normal"/> stream for a run of elements, with Box–Muller's log, square root and
/// cosine on whole blocks (TensorPrimitives, float64 vectors) instead of one libm call each: per element
/// only the Philox rounds stay scalar. Element i is still a pure function of (seed, counter + i), so any
/// split over threads gives the same values; they may differ from the scalar
/// <see cref="Philox.Normal"/> in the last bits of the float64 intermediate.
/// </summary>
internal readonly struct NormalFill<T>(T[] target, int offset, ulong seed, ulong counter, double mean, double std) : IRangeBody
    where T : unmanaged, INumberBase<T>
{
    /// <summary>Elements per block: two float64 scratch runs of this length stay in L1.</summary>
    private const int Block = 512;

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
            TensorPrimitives.Multiply(a, 2.0 * Math.PI, a);
            TensorPrimitives.Cos(a, a);
            TensorPrimitives.Multiply(r, a, r);
            TensorPrimitives.Multiply(r, std, r);
            TensorPrimitives.Add(r, mean, r);
            TensorPrimitives.ConvertTruncating<double, T>(r[..n], target.AsSpan(offset + first, n)); // float: rounded to nearest
        }
    }
}
