using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Nearest other row of x [n, dim] under L1 or L2, for the Kozachenko–Leonenko entropy estimate: the hypernetwork finds,
/// for each of its 32 generated nets, the closest other one among 20,018-weight vectors. Rows are split between the
/// workers; each worker measures its rows against every other row (twice the pairs of a symmetric loop, but no shared
/// state, so the result does not depend on the thread count). Ties go to the lowest index.
/// </summary>
internal static class NeighbourKernels
{
    public static void Nearest<T>(T[] x, int xOffset, int n, int dim, bool l1, T[] distance, int distanceOffset, T[] neighbour, int neighbourOffset, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CpuParallel.For(workers, n, 1, new NearestBody<T>(x, xOffset, n, dim, l1, distance, distanceOffset, neighbour, neighbourOffset), alignment: 1);
    }

    /// <summary>
    /// dx += the gradient of Σ_i dd[i]·‖x_i − x_nb(i)‖: row i gains dd[i]·g and its neighbour loses it, with g = sign(x_i − x_nb)
    /// (L1, sign(0) = 0) or (x_i − x_nb)/distance[i] (L2; 0 at distance 0). Columns are split between the workers, so every
    /// element is written by one worker in a fixed order.
    /// </summary>
    public static void NearestBackward<T>(T[] x, int xOffset, T[] neighbour, int neighbourOffset, T[] distance, int distanceOffset, T[] dd, int ddOffset,
        T[] dx, int dxOffset, int n, int dim, bool l1, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CpuParallel.For(workers, dim, 256, new NearestBackwardBody<T>(x, xOffset, neighbour, neighbourOffset, distance, distanceOffset, dd, ddOffset, dx, dxOffset, n, dim, l1));
    }

    private readonly struct NearestBody<T>(T[] x, int xOffset, int n, int dim, bool l1, T[] distance, int distanceOffset, T[] neighbour, int neighbourOffset) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                var best = T.NaN;
                var index = -1;
                var row = x.AsSpan(xOffset + i * dim, dim);
                for (var j = 0; j < n; j++)
                {
                    if (j == i)
                    {
                        continue;
                    }

                    var other = x.AsSpan(xOffset + j * dim, dim);
                    var d = l1 ? SumOfAbsDifferences<T>(row, other) : SumOfSquaredDifferences<T>(row, other);
                    // NOTE: j runs upwards and only a strictly smaller distance replaces the best, so ties keep the lowest index;
                    // the first candidate is taken as it is, so a NaN distance (NaN in x) reaches the output
                    if (index < 0 || d < best)
                    {
                        (best, index) = (d, j);
                    }
                }

                distance[distanceOffset + i] = l1 ? best : T.Sqrt(best);
                neighbour[neighbourOffset + i] = T.CreateChecked(index);
            }
        }
    }

    private readonly struct NearestBackwardBody<T>(T[] x, int xOffset, T[] neighbour, int neighbourOffset, T[] distance, int distanceOffset, T[] dd, int ddOffset,
        T[] dx, int dxOffset, int n, int dim, bool l1) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            for (var i = 0; i < n; i++)
            {
                var j = int.CreateChecked(neighbour[neighbourOffset + i]);
                var d = distance[distanceOffset + i];
                var scale = l1 ? dd[ddOffset + i] : d > T.Zero ? dd[ddOffset + i] / d : T.Zero;
                ref var xi = ref x[xOffset + i * dim];
                ref var xj = ref x[xOffset + j * dim];
                ref var dxi = ref dx[dxOffset + i * dim];
                ref var dxj = ref dx[dxOffset + j * dim];
                var k = start;
                if (Vector512.IsHardwareAccelerated)
                {
                    var s = Vector512.Create(scale);
                    for (; k + Vector512<T>.Count <= end; k += Vector512<T>.Count)
                    {
                        var diff = Vector512.LoadUnsafe(ref xi, (nuint)k) - Vector512.LoadUnsafe(ref xj, (nuint)k);
                        var g = l1 ? SignTimes(diff, s) : s * diff;
                        (Vector512.LoadUnsafe(ref dxi, (nuint)k) + g).StoreUnsafe(ref dxi, (nuint)k);
                        (Vector512.LoadUnsafe(ref dxj, (nuint)k) - g).StoreUnsafe(ref dxj, (nuint)k);
                    }
                }

                for (; k < end; k++)
                {
                    var diff = Unsafe.Add(ref xi, k) - Unsafe.Add(ref xj, k);
                    var g = l1 ? (diff > T.Zero ? scale : diff < T.Zero ? -scale : diff == T.Zero ? T.Zero : diff) : scale * diff;
                    Unsafe.Add(ref dxi, k) += g;
                    Unsafe.Add(ref dxj, k) -= g;
                }
            }
        }

        /// <summary>scale·sign(d), sign 0 = 0, NaN kept (as the scalar tail does).</summary>
        private static Vector512<T> SignTimes(Vector512<T> d, Vector512<T> scale)
        {
            var zero = Vector512<T>.Zero;
            var signed = Vector512.ConditionalSelect(Vector512.GreaterThan(d, zero), scale, Vector512.ConditionalSelect(Vector512.LessThan(d, zero), -scale, zero));
            return Vector512.ConditionalSelect(Vector512.Equals(d, d), signed, d);
        }
    }

    private static T SumOfAbsDifferences<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        SumOfTerms<T, AbsoluteTerm<T>>(a, b);

    private static T SumOfSquaredDifferences<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        SumOfTerms<T, SquareTerm<T>>(a, b);

    /// <summary>Σ term(a_i − b_i): two 512-bit accumulators, then 256-bit steps, then scalars.</summary>
    private static T SumOfTerms<T, TTerm>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, IDifferenceTerm<T>
    {
        var sum0 = Vector512<T>.Zero;
        var sum1 = Vector512<T>.Zero;
        var i = 0;
        var w = Vector512<T>.Count;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + 2 * w <= a.Length; i += 2 * w)
            {
                sum0 += TTerm.Of(Vector512.Create(a[i..]) - Vector512.Create(b[i..]));
                sum1 += TTerm.Of(Vector512.Create(a[(i + w)..]) - Vector512.Create(b[(i + w)..]));
            }
        }

        var half = Vector256<T>.Zero;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<T>.Count <= a.Length; i += Vector256<T>.Count)
            {
                half += TTerm.Of(Vector256.Create(a[i..]) - Vector256.Create(b[i..]));
            }
        }

        var sum = Vector512.Sum(sum0 + sum1) + Vector256.Sum(half);
        for (; i < a.Length; i++)
        {
            sum += TTerm.Of(a[i] - b[i]);
        }

        return sum;
    }

    /// <summary>What a distance sums over the coordinates' differences.</summary>
    private interface IDifferenceTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract Vector512<T> Of(Vector512<T> d);

        static abstract Vector256<T> Of(Vector256<T> d);

        static abstract T Of(T d);
    }

    private readonly struct AbsoluteTerm<T> : IDifferenceTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Of(Vector512<T> d) => Vector512.Abs(d);

        public static Vector256<T> Of(Vector256<T> d) => Vector256.Abs(d);

        public static T Of(T d) => T.Abs(d);
    }

    private readonly struct SquareTerm<T> : IDifferenceTerm<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector512<T> Of(Vector512<T> d) => d * d;

        public static Vector256<T> Of(Vector256<T> d) => d * d;

        public static T Of(T d) => d * d;
    }
}
