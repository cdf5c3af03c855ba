namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>y = conv(x, w) (+ bias per output channel): x [N,C,H,W], w [K,C,R,S] → y [N,K,P,Q].</summary>
    void Conv2dForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView y);

    /// <summary>dx = ∂y/∂x · dy, written (not added) into dx [N,C,H,W]; also a transposed convolution's forward.</summary>
    void Conv2dBackwardData(ConvGeometry g, BufferView dy, BufferView w, BufferView dx);

    /// <summary>dw = Σ dy ⊗ x-patches written into dw [K,C,R,S]; db = Σ dy per channel if given.</summary>
    void Conv2dBackwardWeight(ConvGeometry g, BufferView x, BufferView dy, BufferView dw, BufferView? db);

    /// <summary>2×2 max pooling with stride 2 over [planes, H, W] → [planes, H/2, W/2] (H, W even).</summary>
    void MaxPool2x2(BufferView x, BufferView y, int planes, int h, int w);

    /// <summary>dx = dy routed to the first maximal element of each 2×2 window.</summary>
    void MaxPool2x2Backward(BufferView x, BufferView dy, BufferView dx, int planes, int h, int w);
}
