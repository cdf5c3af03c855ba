using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Nearest other row of x [n, dim] under L1 or L2, for the Kozachenko–Leonenko entropy estimate: the hypernetwork finds,
/// for each of its 32 generated nets, the closest other one among 20,018-weight vectors. Rows are split between the
/// workers; each worker measures its rows against every other row, block by block of the coordinates and four other rows
/// at a time (twice the pairs of a symmetric loop, but no shared state, so the result does not depend on the thread
/// count). Ties go to the lowest index.
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

    /// <summary>
    /// Rows [start, end) against every other row. The 512-bit part of every distance is summed over blocks of
    /// <see cref="BlockLength"/> coordinates, each block of all n rows read while it is in L2, the running sums of each
    /// pair kept between blocks; then <see cref="Finish{T, TTerm}"/> adds the tails. Each pair's sum runs in the same order
    /// as one pass over the whole row would. Why blocks: the hypernetwork's 32 rows of
    /// 20,018 weights (2.5 MB) do not fit L2, so a pass per pair streamed every other row from L3 once per row of the range.
    /// </summary>
    private readonly struct NearestBody<T>(T[] x, int xOffset, int n, int dim, bool l1, T[] distance, int distanceOffset, T[] neighbour, int neighbourOffset) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            // NOTE: rows in groups whose running sums stay within MaxSums vectors (all 16 of a thread's rows for the hypernetwork)
            var rows = Math.Max(1, MaxSums / (2 * n));
            for (var first = start; first < end; first += rows)
            {
                if (l1)
                {
                    Run<AbsoluteTerm<T>>(first, Math.Min(end, first + rows));
                }
                else
                {
                    Run<SquareTerm<T>>(first, Math.Min(end, first + rows));
                }
            }
        }

        private void Run<TTerm>(int start, int end) where TTerm : struct, IDifferenceTerm<T>
        {
            var w = Vector512<T>.Count;
            var vectorEnd = Vector512.IsHardwareAccelerated ? dim / (2 * w) * (2 * w) : 0;
            var sums = NeighbourScratch<T>.Sums((end - start) * n * 2); // [row of the range][other row][even, odd]
            sums.AsSpan(0, (end - start) * n * 2).Clear();
            ref var data = ref x[xOffset];
            Span<int> group = stackalloc int[Candidates];
            for (var from = 0; from < vectorEnd; from += BlockLength)
            {
                var to = Math.Min(vectorEnd, from + BlockLength);
                for (var i = start; i < end; i++)
                {
                    ref var row = ref Unsafe.Add(ref data, i * dim);
                    ref var pairs = ref sums[(i - start) * n * 2];
                    var j = 0;
                    while (j < n)
                    {
                        var count = 0;
                        for (; j < n && count < Candidates; j++)
                        {
                            if (j != i)
                            {
                                group[count++] = j;
                            }
                        }

                        if (count == Candidates)
                        {
                            Accumulate4<T, TTerm>(ref row, ref Unsafe.Add(ref data, group[0] * dim), ref Unsafe.Add(ref data, group[1] * dim),
                                ref Unsafe.Add(ref data, group[2] * dim), ref Unsafe.Add(ref data, group[3] * dim), from, to,
                                ref Unsafe.Add(ref pairs, 2 * group[0]), ref Unsafe.Add(ref pairs, 2 * group[1]),
                                ref Unsafe.Add(ref pairs, 2 * group[2]), ref Unsafe.Add(ref pairs, 2 * group[3]));
                        }
                        else
                        {
                            for (var c = 0; c < count; c++)
                            {
                                Accumulate1<T, TTerm>(ref row, ref Unsafe.Add(ref data, group[c] * dim), from, to, ref Unsafe.Add(ref pairs, 2 * group[c]));
                            }
                        }
                    }
                }
            }

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

                    var at = ((i - start) * n + j) * 2;
                    var d = Finish<T, TTerm>(row, x.AsSpan(xOffset + j * dim, dim), vectorEnd, sums[at], sums[at + 1]);
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

    /// <summary>Other rows measured per pass over a block of a row (<see cref="Accumulate4{T, TTerm}"/>).</summary>
    private const int Candidates = 4;

    /// <summary>Running pair sums per group of rows: 1 MB.</summary>
    private const int MaxSums = 1 << 14;

    /// <summary>Coordinates per block (a multiple of two 512-bit vectors of either type): 32 rows of it fill 256 KB of L2 in float32.</summary>
    private const int BlockLength = 2048;

    /// <summary>sums[0] += Σ term(a − b) over the even vectors of [from, to), sums[1] over the odd ones (to − from a multiple of two vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate1<T, TTerm>(ref T a, ref T b, int from, int to, ref Vector512<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, IDifferenceTerm<T>
    {
        var w = Vector512<T>.Count;
        var s0 = sums;
        var s1 = Unsafe.Add(ref sums, 1);
        for (var i = from; i < to; i += 2 * w)
        {
            s0 += TTerm.Of(Vector512.LoadUnsafe(ref a, (nuint)i) - Vector512.LoadUnsafe(ref b, (nuint)i));
            s1 += TTerm.Of(Vector512.LoadUnsafe(ref a, (nuint)(i + w)) - Vector512.LoadUnsafe(ref b, (nuint)(i + w)));
        }

        sums = s0;
        Unsafe.Add(ref sums, 1) = s1;
    }

    /// <summary>
    /// <see cref="Accumulate1{T, TTerm}"/> of a against four rows at once, each with its own two accumulators in the same
    /// order: a's vectors are loaded once for four rows, and eight independent accumulators keep the adds from waiting on
    /// each other.
    /// </summary>
    private static void Accumulate4<T, TTerm>(ref T a, ref T b0, ref T b1, ref T b2, ref T b3, int from, int to,
        ref Vector512<T> sums0, ref Vector512<T> sums1, ref Vector512<T> sums2, ref Vector512<T> sums3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, IDifferenceTerm<T>
    {
        var w = Vector512<T>.Count;
        Vector512<T> s00 = sums0, s01 = Unsafe.Add(ref sums0, 1), s10 = sums1, s11 = Unsafe.Add(ref sums1, 1);
        Vector512<T> s20 = sums2, s21 = Unsafe.Add(ref sums2, 1), s30 = sums3, s31 = Unsafe.Add(ref sums3, 1);
        for (var i = from; i < to; i += 2 * w)
        {
            var even = Vector512.LoadUnsafe(ref a, (nuint)i);
            var odd = Vector512.LoadUnsafe(ref a, (nuint)(i + w));
            s00 += TTerm.Of(even - Vector512.LoadUnsafe(ref b0, (nuint)i));
            s01 += TTerm.Of(odd - Vector512.LoadUnsafe(ref b0, (nuint)(i + w)));
            s10 += TTerm.Of(even - Vector512.LoadUnsafe(ref b1, (nuint)i));
            s11 += TTerm.Of(odd - Vector512.LoadUnsafe(ref b1, (nuint)(i + w)));
            s20 += TTerm.Of(even - Vector512.LoadUnsafe(ref b2, (nuint)i));
            s21 += TTerm.Of(odd - Vector512.LoadUnsafe(ref b2, (nuint)(i + w)));
            s30 += TTerm.Of(even - Vector512.LoadUnsafe(ref b3, (nuint)i));
            s31 += TTerm.Of(odd - Vector512.LoadUnsafe(ref b3, (nuint)(i + w)));
        }

        (sums0, Unsafe.Add(ref sums0, 1), sums1, Unsafe.Add(ref sums1, 1)) = (s00, s01, s10, s11);
        (sums2, Unsafe.Add(ref sums2, 1), sums3, Unsafe.Add(ref sums3, 1)) = (s20, s21, s30, s31);
    }

    /// <summary>The rest of a sum from element <paramref name="i"/> on: 256-bit steps, then scalars, added to the two accumulators' totals.</summary>
    private static T Finish<T, TTerm>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int i, Vector512<T> sum0, Vector512<T> sum1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TTerm : struct, IDifferenceTerm<T>
    {
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

/// <summary>Per-thread, grow-only running sums of <see cref="NeighbourKernels"/>' pairs, so a warm call allocates nothing.</summary>
internal static class NeighbourScratch<T> where T : unmanaged
{
    [ThreadStatic] private static Vector512<T>[]? t_sums;

    public static Vector512<T>[] Sums(int length)
    {
        if (t_sums is null || t_sums.Length < length)
        {
            t_sums = new Vector512<T>[length];
        }

        return t_sums;
    }
}
