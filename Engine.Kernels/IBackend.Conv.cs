namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>
    /// y = conv(x, w) (+ bias per output channel): x [N,C,H,W], w [K,C,R,S] → y [N,K,P,Q]; with <paramref name="relu"/>,
    /// y = max(y, 0) after the bias (NaN stays NaN, as <see cref="UnaryOp.Relu"/> keeps it).
    /// </summary>
    void Conv2dForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView y, bool relu);

    /// <summary>
    /// dx = ∂y/∂x · dy (+ bias[c] on every pixel of channel c when given), written (not added) into dx [N,C,H,W]; also a
    /// transposed convolution's forward, whose bias it is, and whose ReLU <paramref name="relu"/> applies after the bias
    /// (as in <see cref="Conv2dForward"/>).
    /// </summary>
    void Conv2dBackwardData(ConvGeometry g, BufferView dy, BufferView w, BufferView? bias, BufferView dx, bool relu);

    /// <summary>dw = Σ dy ⊗ x-patches written into dw [K,C,R,S]; db = Σ dy per channel if given.</summary>
    void Conv2dBackwardWeight(ConvGeometry g, BufferView x, BufferView dy, BufferView dw, BufferView? db);

    /// <summary>2×2 max pooling with stride 2 over [planes, H, W] → [planes, H/2, W/2] (H, W even).</summary>
    void MaxPool2x2(BufferView x, BufferView y, int planes, int h, int w);

    /// <summary>dx = dy routed to the first maximal element of each 2×2 window.</summary>
    void MaxPool2x2Backward(BufferView x, BufferView dy, BufferView dx, int planes, int h, int w);

    /// <summary>
    /// pooled = maxpool2x2(conv(x, w) + bias) over the output [N, K, P, Q] (P and Q even), and per pooled element the code
    /// 0…3 of its window's winner (top-left, top-right, bottom-left, bottom-right; the first maximal one under a strict &gt;,
    /// as <see cref="MaxPool2x2"/> picks), stored as a value of x's type. The full-size output need not exist anywhere.
    /// With <paramref name="relu"/>, a ReLU follows the pool: a window whose maximum is not positive gets pooled = 0 (NaN
    /// stays NaN, as <see cref="UnaryOp.Relu"/> keeps it) and code 4, which no unpooling or gradient routes anything to.
    /// </summary>
    void Conv2dMaxPoolForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView pooled, BufferView code, bool relu);

    /// <summary>
    /// dw of that convolution, and db when given (the bias gradient: dpooled summed per channel over the windows with a
    /// winner), from the pooled gradient and the codes (dy = their unpooling, see <see cref="MaxUnpool2x2"/>).
    /// </summary>
    void Conv2dMaxPoolBackwardWeight(ConvGeometry g, BufferView x, BufferView dpooled, BufferView code, BufferView dw, BufferView? db);

    /// <summary>
    /// dx of that convolution (no bias) from the pooled gradient and the codes: <see cref="Conv2dBackwardData"/> of their
    /// unpooling (see <see cref="MaxUnpool2x2"/>), without the full-size dy having to exist.
    /// </summary>
    void Conv2dMaxPoolBackwardData(ConvGeometry g, BufferView dpooled, BufferView code, BufferView w, BufferView dx);

    /// <summary>dy [planes, h, w] = dpooled at each window's winner (its code), 0 at the other three elements.</summary>
    void MaxUnpool2x2(BufferView dpooled, BufferView code, BufferView dy, int planes, int h, int w);
}
