using Engine.Kernels;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>The convolution and its three gradients as direct sums over taps, in float64.</summary>
internal static class DirectConvReference
{
    public static (double[] Y, double[] Dx, double[] Dw, double[] Db) Run(ConvGeometry g, double[] x, double[] w, double[] bias, double[] dy)
    {
        var (y, dx, dw, db) = (new double[g.OutputLength], new double[g.InputLength], new double[g.WeightLength], new double[g.K]);
        for (var n = 0; n < g.N; n++)
        {
            for (var k = 0; k < g.K; k++)
            {
                for (var p = 0; p < g.P; p++)
                {
                    for (var q = 0; q < g.Q; q++)
                    {
                        var o = ((n * g.K + k) * g.P + p) * g.Q + q;
                        var sum = bias[k];
                        db[k] += dy[o];
                        for (var c = 0; c < g.C; c++)
                        {
                            for (var r = 0; r < g.R; r++)
                            {
                                for (var s = 0; s < g.S; s++)
                                {
                                    int h = p * g.StrideH - g.PadH + r, col = q * g.StrideW - g.PadW + s;
                                    if (h < 0 || h >= g.H || col < 0 || col >= g.W)
                                    {
                                        continue;
                                    }

                                    var i = ((n * g.C + c) * g.H + h) * g.W + col;
                                    var j = ((k * g.C + c) * g.R + r) * g.S + s;
                                    sum += w[j] * x[i];
                                    dx[i] += w[j] * dy[o];
                                    dw[j] += x[i] * dy[o];
                                }
                            }
                        }

                        y[o] = sum;
                    }
                }
            }
        }

        return (y, dx, dw, db);
    }
}
