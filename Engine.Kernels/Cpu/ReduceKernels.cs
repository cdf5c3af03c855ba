using System.Numerics;
using System.Numerics.Tensors;

namespace Engine.Kernels.Cpu;

/// <summary>Reductions over the middle axis of [outer, n, inner] and their VJPs.</summary>
internal static class ReduceKernels
{
    public static void Forward<T>(ReduceOp op, ReadOnlySpan<T> x, Span<T> y, int outer, int n, int inner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var o = 0; o < outer; o++)
        {
            var block = x.Slice(o * n * inner, n * inner);
            var row = y.Slice(o * inner, inner);
            if (inner == 1)
            {
                row[0] = op switch
                {
                    ReduceOp.Sum => TensorPrimitives.Sum(block),
                    ReduceOp.Max => n == 0 ? T.NegativeInfinity : TensorPrimitives.Max(block),
                    _ => LogSumExp(block),
                };
                continue;
            }

            if (op == ReduceOp.LogSumExp)
            {
                for (var i = 0; i < inner; i++)
                {
                    var max = T.NegativeInfinity;
                    for (var j = 0; j < n; j++)
                    {
                        max = T.Max(max, block[j * inner + i]);
                    }

                    var sum = T.Zero;
                    if (T.IsFinite(max))
                    {
                        for (var j = 0; j < n; j++)
                        {
                            sum += T.Exp(block[j * inner + i] - max);
                        }
                    }

                    row[i] = T.IsFinite(max) ? max + T.Log(sum) : max;
                }

                continue;
            }

            if (n == 0)
            {
                row.Fill(op == ReduceOp.Sum ? T.Zero : T.NegativeInfinity);
                continue;
            }

            block[..inner].CopyTo(row);
            for (var j = 1; j < n; j++)
            {
                var slice = block.Slice(j * inner, inner);
                if (op == ReduceOp.Sum)
                {
                    TensorPrimitives.Add(row, slice, row);
                }
                else
                {
                    TensorPrimitives.Max(row, slice, row);
                }
            }
        }
    }

    public static void Backward<T>(ReduceOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx, int outer, int n, int inner)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var o = 0; o < outer; o++)
        {
            var xb = x.Slice(o * n * inner, n * inner);
            var dxb = dx.Slice(o * n * inner, n * inner);
            var yr = y.Slice(o * inner, inner);
            var dyr = dy.Slice(o * inner, inner);
            switch (op)
            {
                case ReduceOp.Sum when inner == 1:
                    dxb.Fill(dyr[0]);
                    break;
                case ReduceOp.Sum:
                    for (var j = 0; j < n; j++)
                    {
                        dyr.CopyTo(dxb.Slice(j * inner, inner));
                    }

                    break;
                case ReduceOp.Max:
                    dxb.Clear();
                    for (var i = 0; i < inner; i++)
                    {
                        // NOTE: ties send the whole gradient to the first maximal element (as argmax does).
                        for (var j = 0; j < n; j++)
                        {
                            if (xb[j * inner + i] == yr[i])
                            {
                                dxb[j * inner + i] = dyr[i];
                                break;
                            }
                        }
                    }

                    break;
                case ReduceOp.LogSumExp when inner == 1:
                    // softmax weights exp(x − lse), zero when the whole row is −∞
                    if (T.IsFinite(yr[0]))
                    {
                        TensorPrimitives.Subtract(xb, yr[0], dxb);
                        TensorPrimitives.Exp(dxb, dxb);
                        TensorPrimitives.Multiply(dxb, dyr[0], dxb);
                    }
                    else
                    {
                        dxb.Clear();
                    }

                    break;
                default:
                    for (var j = 0; j < n; j++)
                    {
                        for (var i = 0; i < inner; i++)
                        {
                            // softmax weight exp(x − lse), zero when the whole row is −∞
                            var w = T.IsFinite(yr[i]) ? T.Exp(xb[j * inner + i] - yr[i]) : T.Zero;
                            dxb[j * inner + i] = dyr[i] * w;
                        }
                    }

                    break;
            }
        }
    }

    public static T LogSumExp<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length == 0)
        {
            return T.NegativeInfinity;
        }

        var max = TensorPrimitives.Max(x);
        if (!T.IsFinite(max))
        {
            return max; // all −∞ gives −∞; any +∞ or NaN propagates
        }

        // Σ exp(x − max) a block at a time, vectorised through a small stack buffer.
        Span<T> block = stackalloc T[256];
        var sum = T.Zero;
        for (var start = 0; start < x.Length; start += block.Length)
        {
            var shifted = block[..Math.Min(block.Length, x.Length - start)];
            TensorPrimitives.Subtract(x.Slice(start, shifted.Length), max, shifted);
            TensorPrimitives.Exp(shifted, shifted);
            sum += TensorPrimitives.Sum<T>(shifted);
        }

        return max + T.Log(sum);
    }
}
