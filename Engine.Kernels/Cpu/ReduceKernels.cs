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

        var sum = T.Zero;
        for (var i = 0; i < x.Length; i++)
        {
            sum += T.Exp(x[i] - max);
        }

        return max + T.Log(sum);
    }
}
