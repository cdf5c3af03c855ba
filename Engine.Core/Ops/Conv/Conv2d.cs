using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// y[n,k,p,q] = Σ_{c,r,s} x[n,c,p·stride−pad+r, q·stride−pad+s]·w[k,c,r,s] (+ b[k]); VJP: dx = the
    /// convolution's data gradient of dy (a transposed convolution), dw = Σ_n dy ⊗ x-patches, db = Σ_{n,p,q} dy.
    /// x [N,C,H,W], w [K,C,R,S] (PyTorch layout), b [K] or null → y [N,K,P,Q] with
    /// P = ⌊(H + 2·pad − R)/stride⌋ + 1. The weights are plain arguments, so generated weights flow in.
    /// With <paramref name="relu"/>, y = max(·, 0) is applied by the kernel while each image is in cache (the same values
    /// as <see cref="Relu"/> after the convolution), and the VJP first masks dy where y ≤ 0.
    /// </summary>
    public static Tensor Conv2d(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, bool relu = false)
    {
        var g = ConvGeometryOf("conv2d", x, w, bias, stride, padding);
        var y = Tensor.Empty(new Shape(g.N, g.K, g.P, g.Q), x.DType, x.Backend);
        x.Backend.Conv2dForward(g, x.View, w.View, bias?.View, y.View, relu);

        Tensor[] inputs = bias is null ? [x, w] : [x, w, bias];
        Tape.Record(relu ? "conv2d_relu" : "conv2d", y, inputs, upstream =>
        {
            var dy = relu ? ActivationGradient(y, upstream, UnaryOp.Relu, 0) : upstream;
            if (x.RequiresGrad)
            {
                var dx = x.EmptyLike();
                x.Backend.Conv2dBackwardData(g, dy.View, w.View, null, dx.View, relu: false);
                x.AccumulateGrad(dx, handedOver: true);
            }

            var needBias = bias is not null && bias.RequiresGrad;
            if (w.RequiresGrad)
            {
                var dw = w.EmptyLike();
                var db = needBias ? bias!.EmptyLike() : null;
                x.Backend.Conv2dBackwardWeight(g, x.View, dy.View, dw.View, db?.View);
                w.AccumulateGrad(dw);
                if (db is not null)
                {
                    bias!.AccumulateGrad(db);
                }
            }
            else if (needBias)
            {
                bias!.AccumulateGrad(SumPerChannel(dy));
            }
        });
        return y;
    }

    /// <summary>The geometry of x [N, C, H, W] convolved with w [K, C, R, S] (and bias [K]), after checking every shape and argument.</summary>
    private static ConvGeometry ConvGeometryOf(string op, Tensor x, Tensor w, Tensor? bias, int stride, int padding)
    {
        if (bias is null)
        {
            CheckCompatible(op, x, w);
        }
        else
        {
            CheckCompatible(op, x, w, bias);
        }

        if (x.Rank != 4 || w.Rank != 4)
        {
            throw new ArgumentException($"{op}: input {x.Shape} and weight {w.Shape} must both have rank 4 (input [N, C, H, W], weight [K, C, R, S]).");
        }

        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], width = x.Shape[3];
        int k = w.Shape[0], r = w.Shape[2], s = w.Shape[3];
        if (w.Shape[1] != c)
        {
            throw new ArgumentException($"{op}: input {x.Shape} has {c} channels but weight {w.Shape} expects {w.Shape[1]} (weight is [K, C, R, S]).");
        }

        if (bias is not null && bias.Shape != new Shape(k))
        {
            throw new ArgumentException($"{op}: bias {bias.Shape} does not match weight {w.Shape} (expected [{k}]).");
        }

        if (stride < 1 || padding < 0)
        {
            throw new ArgumentException($"{op}: stride {stride} must be ≥ 1 and padding {padding} ≥ 0 (input {x.Shape}, weight {w.Shape}).");
        }

        if (h + 2 * padding < r || width + 2 * padding < s || r < 1 || s < 1)
        {
            throw new ArgumentException($"{op}: input {x.Shape} with padding {padding} is smaller than the kernel of weight {w.Shape}; the output size would be ≤ 0.");
        }

        return ConvGeometry.ForConv(n, c, h, width, k, r, s, stride, padding);
    }

    /// <summary>Σ over N, H, W of an [N, C, H, W] tensor → [C] (the bias gradient of a convolution).</summary>
    private static Tensor SumPerChannel(Tensor t) =>
        Sum(Sum(Reshape(t, t.Shape[0], t.Shape[1], -1), 2), 0);
}
