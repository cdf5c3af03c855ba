using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu;

/// <summary>
/// 2×2 max-pooling with stride 2 over [planes, H, W], forward and backward, split over the threads by
/// planes. Each window keeps the first maximal element in the order (top-left, top-right, bottom-left,
/// bottom-right), comparing with a strict &gt; (a NaN is never taken and never replaced); backward routes
/// dy to that element and leaves the rest of dx zero. Every plane is computed whole by one thread, so the
/// result is the same on 1 or N threads.
/// </summary>
/// <remarks>
/// Why a kernel of its own: the plain loop built a span of the three other indices per window and ran on
/// one thread; in the hypernetwork's target nets (32 nets × 32 images × 32 channels × 28×28 per step)
/// that made pooling forward + backward about a sixth of the step.
/// </remarks>
internal static class MaxPoolKernels
{
    /// <summary>Output elements per thread chunk at least (a pool round trip costs microseconds).</summary>
    private const int MinOutputsPerChunk = 1 << 14;

    public static void Forward<T>(T[] x, int xo, T[] y, int yo, int planes, int h, int w, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, planes, Math.Max(1, MinOutputsPerChunk / Math.Max(1, h * w / 4)), new PoolBody<T>(x, xo, y, yo, [], 0, h, w, false), alignment: 1);

    public static void Backward<T>(T[] x, int xo, T[] dy, int dyo, T[] dx, int dxo, int planes, int h, int w, WorkerPool workers)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        CpuParallel.For(workers, planes, Math.Max(1, MinOutputsPerChunk / Math.Max(1, h * w / 4)), new PoolBody<T>(x, xo, dy, dyo, dx, dxo, h, w, true), alignment: 1);

    /// <summary>Planes [start, end): forward writes y (<paramref name="pooled"/>); backward reads dy (<paramref name="pooled"/>) and writes dx.</summary>
    private readonly struct PoolBody<T>(T[] x, int xo, T[] pooled, int po, T[] dx, int dxo, int h, int w, bool backward) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            int oh = h / 2, ow = w / 2, hw = h * w;
            // Bounds are checked once for the whole range; the loops then read by reference.
            var input = x.AsSpan(xo + start * hw, (end - start) * hw);
            var output = pooled.AsSpan(po + start * oh * ow, (end - start) * oh * ow);
            var gradient = backward ? dx.AsSpan(dxo + start * hw, (end - start) * hw) : default;
            if (backward && !VectorWritesEveryRow(ow))
            {
                gradient.Clear(); // the scalar windows write only each window's chosen element
            }

            ref var source = ref MemoryMarshal.GetReference(input);
            ref var target = ref MemoryMarshal.GetReference(output);
            ref var routed = ref MemoryMarshal.GetReference(gradient);
            for (var plane = 0; plane < end - start; plane++)
            {
                for (var i = 0; i < oh; i++)
                {
                    var top = plane * hw + 2 * i * w;
                    ref var outRow = ref Unsafe.Add(ref target, (plane * oh + i) * ow);
                    var j = 0;
                    if (Vector512Windows(ow))
                    {
                        j = VectorWindows512(ref Unsafe.As<T, float>(ref source), top, w, ow, ref Unsafe.As<T, float>(ref outRow), ref Unsafe.As<T, float>(ref routed), backward);
                    }
                    else if (Vector256Windows(ow))
                    {
                        j = VectorWindows(ref Unsafe.As<T, float>(ref source), top, w, ow, ref Unsafe.As<T, float>(ref outRow), ref Unsafe.As<T, float>(ref routed), backward);
                    }

                    for (; j < ow; j++)
                    {
                        var at = Window(ref source, top + 2 * j, w);
                        if (backward)
                        {
                            Unsafe.Add(ref routed, at) = Unsafe.Add(ref outRow, j);
                        }
                        else
                        {
                            Unsafe.Add(ref outRow, j) = Unsafe.Add(ref source, at);
                        }
                    }
                }
            }
        }

        private static bool Vector512Windows(int ow) => typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Avx512F.IsSupported && ow >= 8;

        private static bool Vector256Windows(int ow) => typeof(T) == typeof(float) && Avx2.IsSupported && ow >= 4;

        /// <summary>The vector blocks cover every window of a row and store both of its dx rows whole (zeros included), so backward needs no clearing first.</summary>
        private static bool VectorWritesEveryRow(int ow) => Vector512Windows(ow) || Vector256Windows(ow);

        /// <summary>
        /// Eight windows at a time with AVX-512 (window l's top pair in lanes 2l, 2l + 1 of one row vector, its bottom
        /// pair in the next row's): the right neighbours come from swapping lane pairs in registers, so every load stays
        /// inside the window rows, and a row whose window count is not a multiple of 8 ends with a block moved back to
        /// end at the row's last window (those windows are computed twice, to the same values and the same dx).
        /// Selects in the comparison order of <see cref="Window"/>, choices coded 0–3, instead of data-dependent branches
        /// (which mispredicted about every other window). Forward compacts the even lanes with one permute into a 256-bit
        /// store; backward spreads dy and the choice over both lanes of each window and writes the window's top and bottom
        /// dx rows as two selects (dx was cleared, so the stores only repeat its zeros elsewhere). Needs ow ≥ 8; returns ow.
        /// </summary>
        private static int VectorWindows512(ref float source, int top, int w, int ow, ref float outRow, ref float routed, bool backward)
        {
            const byte SwapPairs = 0b10_11_00_01;
            var one = Vector512.Create(1);
            var two = Vector512.Create(2);
            var three = Vector512.Create(3);
            var evenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
            var windowOfLane = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
            var evenOfLane = Vector512.Create(0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14);
            var column = Vector512.Create(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
            const int Windows = 8;
            for (var block = 0; block < ow; block += Windows)
            {
                var j = Math.Min(block, ow - Windows);
                ref var a = ref Unsafe.Add(ref source, top + 2 * j);
                var upper = Vector512.LoadUnsafe(ref a);
                var lower = Vector512.LoadUnsafe(ref Unsafe.Add(ref a, w));
                var value = upper;
                var index = Vector512<int>.Zero;
                Select(Avx512F.Permute4x32(upper, SwapPairs), one, ref value, ref index);
                Select(lower, two, ref value, ref index);
                Select(Avx512F.Permute4x32(lower, SwapPairs), three, ref value, ref index);
                if (!backward)
                {
                    Avx512F.PermuteVar16x32(value, evenLanes).GetLower().StoreUnsafe(ref outRow, (nuint)j);
                    continue;
                }

                var dy = Avx512F.PermuteVar16x32(Vector256.LoadUnsafe(ref outRow, (nuint)j).ToVector512Unsafe(), windowOfLane);
                var choice = Avx512F.PermuteVar16x32(index, evenOfLane);
                Vector512.ConditionalSelect(Vector512.Equals(choice, column).AsSingle(), dy, Vector512<float>.Zero)
                    .StoreUnsafe(ref routed, (nuint)(top + 2 * j));
                Vector512.ConditionalSelect(Vector512.Equals(choice, column + two).AsSingle(), dy, Vector512<float>.Zero)
                    .StoreUnsafe(ref routed, (nuint)(top + 2 * j + w));
            }

            return ow;
        }

        /// <summary>The same as <see cref="VectorWindows512"/> with AVX2: four windows a block. Needs ow ≥ 4; returns ow.</summary>
        private static int VectorWindows(ref float source, int top, int w, int ow, ref float outRow, ref float routed, bool backward)
        {
            const byte SwapPairs = 0b10_11_00_01;
            var one = Vector256.Create(1);
            var two = Vector256.Create(2);
            var three = Vector256.Create(3);
            var evenLanes = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
            var windowOfLane = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
            var evenOfLane = Vector256.Create(0, 0, 2, 2, 4, 4, 6, 6);
            var column = Vector256.Create(0, 1, 0, 1, 0, 1, 0, 1);
            const int Windows = 4;
            for (var block = 0; block < ow; block += Windows)
            {
                var j = Math.Min(block, ow - Windows);
                ref var a = ref Unsafe.Add(ref source, top + 2 * j);
                var upper = Vector256.LoadUnsafe(ref a);
                var lower = Vector256.LoadUnsafe(ref Unsafe.Add(ref a, w));
                var value = upper;
                var index = Vector256<int>.Zero;
                Select(Avx.Permute(upper, SwapPairs), one, ref value, ref index);
                Select(lower, two, ref value, ref index);
                Select(Avx.Permute(lower, SwapPairs), three, ref value, ref index);
                if (!backward)
                {
                    Avx2.PermuteVar8x32(value, evenLanes).GetLower().StoreUnsafe(ref outRow, (nuint)j);
                    continue;
                }

                var dy = Avx2.PermuteVar8x32(Vector128.LoadUnsafe(ref outRow, (nuint)j).ToVector256Unsafe(), windowOfLane);
                var choice = Avx2.PermuteVar8x32(index, evenOfLane);
                Vector256.ConditionalSelect(Vector256.Equals(choice, column).AsSingle(), dy, Vector256<float>.Zero)
                    .StoreUnsafe(ref routed, (nuint)(top + 2 * j));
                Vector256.ConditionalSelect(Vector256.Equals(choice, column + two).AsSingle(), dy, Vector256<float>.Zero)
                    .StoreUnsafe(ref routed, (nuint)(top + 2 * j + w));
            }

            return ow;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Select(Vector512<float> candidate, Vector512<int> code, ref Vector512<float> value, ref Vector512<int> index)
        {
            var greater = Vector512.GreaterThan(candidate, value);
            value = Vector512.ConditionalSelect(greater, candidate, value);
            index = Vector512.ConditionalSelect(greater.AsInt32(), code, index);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Select(Vector256<float> candidate, Vector256<int> offset, ref Vector256<float> value, ref Vector256<int> index)
        {
            var greater = Vector256.GreaterThan(candidate, value);
            value = Vector256.ConditionalSelect(greater, candidate, value);
            index = Vector256.ConditionalSelect(greater.AsInt32(), offset, index);
        }

        /// <summary>Index of the first maximal element of the window whose top-left element is at <paramref name="at"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Window(ref T source, int at, int w)
        {
            var best = at;
            var value = Unsafe.Add(ref source, at);
            Take(ref source, at + 1, ref best, ref value);
            Take(ref source, at + w, ref best, ref value);
            Take(ref source, at + w + 1, ref best, ref value);
            return best;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Take(ref T source, int candidate, ref int best, ref T value)
        {
            var v = Unsafe.Add(ref source, candidate);
            if (v > value)
            {
                best = candidate;
                value = v;
            }
        }
    }
}
