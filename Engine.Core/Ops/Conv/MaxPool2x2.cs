namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// y[n,c,i,j] = max of x[n,c,2i..2i+1, 2j..2j+1]; VJP: dx = dy routed to the first maximal element of
    /// each window (zero elsewhere). x [N,C,H,W] with H and W even → y [N,C,H/2,W/2].
    /// </summary>
    public static Tensor MaxPool2x2(Tensor x)
    {
        if (x.Rank != 4)
        {
            throw new ArgumentException($"max_pool2x2: input {x.Shape} must have rank 4 ([N, C, H, W]).");
        }

        int planes = x.Shape[0] * x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        if (h % 2 != 0 || w % 2 != 0)
        {
            throw new ArgumentException($"max_pool2x2: input {x.Shape} must have even height and width.");
        }

        var y = Tensor.Empty(new Shape(x.Shape[0], x.Shape[1], h / 2, w / 2), x.DType, x.Backend);
        x.Backend.MaxPool2x2(x.View, y.View, planes, h, w);
        Tape.Record("max_pool2x2", y, [x], dy =>
        {
            var dx = x.EmptyLike();
            x.Backend.MaxPool2x2Backward(x.View, dy.View, dx.View, planes, h, w);
            x.AccumulateGrad(dx);
        });
        return y;
    }
}
