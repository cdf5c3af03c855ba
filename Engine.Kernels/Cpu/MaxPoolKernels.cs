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
            if (backward)
            {
                gradient.Clear();
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
                    if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
                    {
                        j = VectorWindows512(ref Unsafe.As<T, float>(ref source), top, w, ref Unsafe.As<T, float>(ref outRow), ref Unsafe.As<T, float>(ref routed), backward);
                    }

                    if (typeof(T) == typeof(float) && Vector256.IsHardwareAccelerated)
                    {
                        j = VectorWindows(ref Unsafe.As<T, float>(ref source), top, w, j, ref Unsafe.As<T, float>(ref outRow), ref Unsafe.As<T, float>(ref routed), backward);
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

        /// <summary>
        /// Four windows at a time (float32): the row pair is read as vectors at offsets 0 and 1, so even lane
        /// 2l holds window l's four elements in the same comparison order as <see cref="Window"/>, with
        /// selects instead of data-dependent branches (which mispredicted about every other window). Stops
        /// where the offset-1 vector would leave the row; returns the first window not done.
        /// </summary>
        private static int VectorWindows(ref float source, int top, int w, int j, ref float outRow, ref float routed, bool backward)
        {
            var lanes = Vector256<float>.Count;
            var one = Vector256.Create(1);
            var below = Vector256.Create(w);
            var belowRight = Vector256.Create(w + 1);
            for (; 2 * j + lanes < w; j += lanes / 2)
            {
                ref var a = ref Unsafe.Add(ref source, top + 2 * j);
                var value = Vector256.LoadUnsafe(ref a);
                var index = Vector256<int>.Zero;
                Select(Vector256.LoadUnsafe(ref Unsafe.Add(ref a, 1)), one, ref value, ref index);
                Select(Vector256.LoadUnsafe(ref Unsafe.Add(ref a, w)), below, ref value, ref index);
                Select(Vector256.LoadUnsafe(ref Unsafe.Add(ref a, w + 1)), belowRight, ref value, ref index);
                for (var l = 0; l < lanes; l += 2)
                {
                    if (backward)
                    {
                        Unsafe.Add(ref routed, top + 2 * j + l + index.GetElement(l)) = Unsafe.Add(ref outRow, j + l / 2);
                    }
                    else
                    {
                        Unsafe.Add(ref outRow, j + l / 2) = value.GetElement(l);
                    }
                }
            }

            return j;
        }

        /// <summary>
        /// Eight windows at a time with AVX-512, the same selects as <see cref="VectorWindows"/> (window l in even lane
        /// 2l, choices coded 0–3 in the comparison order), but without a per-window element move: forward compacts the
        /// even lanes with one permute into a 256-bit store; backward spreads dy and the choice over both lanes of each
        /// window and writes the window's top and bottom dx rows as two masked vectors (dx was cleared, so the stores
        /// only repeat its zeros elsewhere). Stops where the offset-1 vector would leave the row.
        /// </summary>
        private static int VectorWindows512(ref float source, int top, int w, ref float outRow, ref float routed, bool backward)
        {
            var one = Vector512.Create(1);
            var two = Vector512.Create(2);
            var three = Vector512.Create(3);
            var evenLanes = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
            var windowOfLane = Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7);
            var evenOfLane = Vector512.Create(0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 10, 10, 12, 12, 14, 14);
            var column = Vector512.Create(0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1);
            var j = 0;
            for (; 2 * j + Vector512<float>.Count < w; j += Vector512<float>.Count / 2)
            {
                ref var a = ref Unsafe.Add(ref source, top + 2 * j);
                var value = Vector512.LoadUnsafe(ref a);
                var index = Vector512<int>.Zero;
                Select(Vector512.LoadUnsafe(ref Unsafe.Add(ref a, 1)), one, ref value, ref index);
                Select(Vector512.LoadUnsafe(ref Unsafe.Add(ref a, w)), two, ref value, ref index);
                Select(Vector512.LoadUnsafe(ref Unsafe.Add(ref a, w + 1)), three, ref value, ref index);
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

            return j;
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
