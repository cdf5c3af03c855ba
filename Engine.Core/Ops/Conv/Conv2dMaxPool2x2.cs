namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// MaxPool2x2(Conv2d(x, w, bias, stride, padding)) as one op, followed by a ReLU when <paramref name="relu"/>: the same
    /// values, the same window winners (the first maximal element, top-left to bottom-right), the same gradients, but the
    /// backend keeps only the pooled output and each window's winner, not the full-size convolution output
    /// (<see cref="Engine.Kernels.IBackend.Conv2dMaxPoolForward"/>). The ReLU costs no pass of its own: a window it cuts to 0
    /// just has no winner. The convolution's output must have even height and width. VJP: dy = dpooled at each winner, 0
    /// elsewhere (and at every window the ReLU cut); then dx and dw as <see cref="Conv2d"/>'s, db = Σ dy per channel, all
    /// from dpooled and the winners (<see cref="Engine.Kernels.IBackend.Conv2dMaxPoolBackwardData"/>,
    /// <see cref="Engine.Kernels.IBackend.Conv2dMaxPoolBackwardWeight"/>), so the backend need not build dy.
    /// </summary>
    public static Tensor Conv2dMaxPool2x2(Tensor x, Tensor w, Tensor? bias = null, int stride = 1, int padding = 0, bool relu = false)
    {
        var g = ConvGeometryOf("conv2d_max_pool2x2", x, w, bias, stride, padding);
        if (g.P % 2 != 0 || g.Q % 2 != 0)
        {
            throw new ArgumentException($"conv2d_max_pool2x2: the convolution of {x.Shape} by {w.Shape} (stride {stride}, padding {padding}) is {g.P}×{g.Q}; 2×2 pooling needs even sizes.");
        }

        var pooledShape = new Shape(g.N, g.K, g.P / 2, g.Q / 2);
        var pooled = Tensor.Empty(pooledShape, x.DType, x.Backend);
        var code = Tensor.Empty(pooledShape, x.DType, x.Backend);
        x.Backend.Conv2dMaxPoolForward(g, x.View, w.View, bias?.View, pooled.View, code.View, relu);

        Tensor[] inputs = bias is null ? [x, w] : [x, w, bias];
        Tape.Record("conv2d_max_pool2x2", pooled, inputs, dpooled =>
        {
            if (x.RequiresGrad)
            {
                var dx = x.EmptyLike();
                x.Backend.Conv2dMaxPoolBackwardData(g, dpooled.View, code.View, w.View, dx.View);
                x.AccumulateGrad(dx);
            }

            var db = bias is not null && bias.RequiresGrad ? bias.EmptyLike() : null;
            if (w.RequiresGrad || db is not null)
            {
                var dw = w.EmptyLike();
                x.Backend.Conv2dMaxPoolBackwardWeight(g, x.View, dpooled.View, code.View, dw.View, db?.View);
                if (w.RequiresGrad)
                {
                    w.AccumulateGrad(dw);
                }
            }

            if (db is not null)
            {
                bias!.AccumulateGrad(db);
            }
        });
        return pooled;
    }
}
