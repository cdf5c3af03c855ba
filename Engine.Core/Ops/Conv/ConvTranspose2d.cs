using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// y[n,co,i·stride−pad+r, j·stride−pad+s] += x[n,ci,i,j]·w[ci,co,r,s] (+ b[co]); VJP: dx = conv2d(dy, w),
    /// dw = the weight gradient of that convolution with the roles of x and dy swapped, db = Σ_{n,h,w} dy.
    /// x [N,Cin,H,W], w [Cin,Cout,R,S] (PyTorch layout), b [Cout] or null → y [N,Cout,H′,W′] with
    /// H′ = (H − 1)·stride − 2·pad + R + outputPadding. It is the data gradient of the convolution
    /// whose input is y, so it runs on the same backend kernels. With <paramref name="relu"/>, y = max(·, 0) as in
    /// <see cref="Conv2d"/>.
    /// </summary>
    public static Tensor ConvTranspose2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, int outputPadding = 0, bool relu = false)
    {
        if (bias is null)
        {
            CheckCompatible("conv_transpose2d", x, w);
        }
        else
        {
            CheckCompatible("conv_transpose2d", x, w, bias);
        }

        if (x.Rank != 4 || w.Rank != 4)
        {
            throw new ArgumentException($"conv_transpose2d: input {x.Shape} and weight {w.Shape} must both have rank 4 (input [N, Cin, H, W], weight [Cin, Cout, R, S]).");
        }

        int n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], width = x.Shape[3];
        int cout = w.Shape[1], r = w.Shape[2], s = w.Shape[3];
        if (w.Shape[0] != cin)
        {
            throw new ArgumentException($"conv_transpose2d: input {x.Shape} has {cin} channels but weight {w.Shape} expects {w.Shape[0]} (weight is [Cin, Cout, R, S]).");
        }

        if (bias is not null && bias.Shape != new Shape(cout))
        {
            throw new ArgumentException($"conv_transpose2d: bias {bias.Shape} does not match weight {w.Shape} (expected [{cout}]).");
        }

        if (stride < 1 || padding < 0 || outputPadding < 0 || outputPadding >= stride)
        {
            throw new ArgumentException($"conv_transpose2d: need stride ≥ 1, padding ≥ 0 and 0 ≤ output padding < stride; got stride {stride}, padding {padding}, output padding {outputPadding} (input {x.Shape}, weight {w.Shape}).");
        }

        var outH = (h - 1) * stride - 2 * padding + r + outputPadding;
        var outW = (width - 1) * stride - 2 * padding + s + outputPadding;
        if (h < 1 || width < 1 || outH <= 0 || outW <= 0)
        {
            throw new ArgumentException($"conv_transpose2d: input {x.Shape} with weight {w.Shape}, stride {stride}, padding {padding} gives an output size {outH}×{outW} ≤ 0.");
        }

        // The convolution this one undoes: input y [N, Cout, H′, W′], weight [Cin, Cout, R, S], output x.
        var g = new ConvGeometry(n, cout, outH, outW, cin, r, s, stride, stride, padding, padding, h, width);
        var shape = new Shape(n, cout, outH, outW);
        var y = Tensor.Empty(shape, x.DType, x.Backend);
        x.Backend.Conv2dBackwardData(g, x.View, w.View, bias?.View, y.View, relu); // bias and ReLU in the kernel, while each image is in cache

        Tensor[] inputs = bias is null ? [x, w] : [x, w, bias];
        Tape.Record(relu ? "conv_transpose2d_relu" : "conv_transpose2d", y, inputs, upstream =>
        {
            var dy = relu ? ActivationGradient(y, upstream, UnaryOp.Relu, 0) : upstream;
            if (x.RequiresGrad)
            {
                var dx = x.EmptyLike();
                x.Backend.Conv2dForward(g, dy.View, w.View, null, dx.View, relu: false);
                x.AccumulateGrad(dx, handedOver: true);
            }

            if (w.RequiresGrad)
            {
                var dw = w.EmptyLike();
                x.Backend.Conv2dBackwardWeight(g, dy.View, x.View, dw.View, null);
                w.AccumulateGrad(dw);
            }

            if (bias is not null && bias.RequiresGrad)
            {
                bias.AccumulateGrad(SumPerChannel(dy));
            }
        });
        return y;
    }
}
