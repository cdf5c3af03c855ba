using Engine.Kernels;

namespace Engine.Core;

public sealed partial class Tensor
{
    /// <summary>
    /// Adds <paramref name="g"/> into <see cref="Grad"/>. Leaves own a persistent gradient that is
    /// added to in place; intermediate tensors take the first contribution as is and sum later ones.
    /// <paramref name="handedOver"/>: the caller made <paramref name="g"/> for this call alone and keeps no other reference
    /// to its buffer (a VJP's fresh dx, or a reshape's view of a gradient it took over), so this tensor's VJP may overwrite
    /// it (<see cref="TakeOwnedGrad"/>).
    /// </summary>
    internal void AccumulateGrad(Tensor g, bool handedOver = false)
    {
        if (g.Shape != Shape || g.DType != DType)
        {
            throw new InvalidOperationException($"Gradient {g.Describe()} does not match {Describe()} (an op's VJP returned the wrong shape).");
        }

        if (TryGradTarget(out var target, out var beta))
        {
            if (beta == 0)
            {
                Backend.Copy(g.View, target);
            }
            else
            {
                var strides = Shape.Strides();
                Backend.Binary(BinaryOp.Add, target, strides, g.View, strides, target, Shape.Dims);
            }

            return;
        }

        var first = _grad is null;
        Grad = first ? g : Ops.Add(_grad!, g);
        _gradOwned = !first || handedOver; // Add's result is new, referenced only here
    }

    /// <summary>
    /// True when <paramref name="dy"/> is this intermediate's gradient and nothing else refers to it (see
    /// <see cref="_gradOwned"/>): the caller, this tensor's own VJP, may then overwrite it in place, and this tensor's
    /// <see cref="Grad"/> reads null from then on rather than the overwritten values (the tape's diagnostics still look at
    /// them, <see cref="ConsumedGrad"/>). Why: an activation's backward
    /// (dy ⊙ f′) wrote a fresh buffer the size of the layer's output; in place, the conv VAE step no longer streams its two
    /// 2.5 MB ReLU masks into new memory.
    /// </summary>
    internal bool TakeOwnedGrad(Tensor dy)
    {
        if (IsLeaf || !_gradOwned || !ReferenceEquals(_grad, dy))
        {
            return false;
        }

        ConsumedGrad = dy;
        Grad = null;
        _gradOwned = false;
        return true;
    }

    /// <summary>
    /// The gradient buffer this tensor's own VJP took over and overwrote (<see cref="TakeOwnedGrad"/>), for
    /// <see cref="Tape.DescribeFirstNonFinite"/>: a NaN or ∞ that reached this tensor's gradient is still there wherever the
    /// VJP's factor (an activation's derivative) did not zero it.
    /// </summary>
    internal Tensor? ConsumedGrad { get; private set; }

    /// <summary>
    /// Adds a block-strided contribution dy (rows × cols, row stride <paramref name="dyStride"/>) into this tensor's gradient
    /// at element <paramref name="offset"/> with row stride <paramref name="gradStride"/>, in place where the gradient buffer
    /// is this tensor's own: a leaf's persistent gradient, or an intermediate's gradient this method created. Why: a
    /// tensor sliced many times (the hypernetwork slices each generated net's weights from one output, 32 times a step)
    /// otherwise gets a full-size zero tensor plus a full-size add per slice.
    /// </summary>
    internal void AccumulateGradBlocks(Tensor dy, int dyStride, int offset, int gradStride, int rows, int cols)
    {
        if (TryGradTarget(out var target, out var beta))
        {
            if (beta == 0)
            {
                Backend.Fill(target, 0);
            }

            Backend.AddBlocks(dy.View, dyStride, target.Slice(offset, target.Length - offset), gradStride, rows, cols);
            return;
        }

        if (_grad is null || !_gradOwned)
        {
            var fresh = Zeros(Shape, DType, Backend);
            Backend.AddBlocks(dy.View, dyStride, fresh.View.Slice(offset, Numel - offset), gradStride, rows, cols);
            Grad = _grad is null ? fresh : Ops.Add(_grad, fresh);
            _gradOwned = true; // both the zero tensor and Add's result are new, referenced only here
            return;
        }

        Backend.AddBlocks(dy.View, dyStride, _grad.View.Slice(offset, Numel - offset), gradStride, rows, cols);
    }

    /// <summary>
    /// True when an intermediate's <see cref="Grad"/> is referenced by nothing else: created by
    /// <see cref="AccumulateGradBlocks"/> or by an add of two contributions, or handed over by the VJP that made it. Later
    /// blocks may then add into it in place, and this tensor's VJP may overwrite it (<see cref="TakeOwnedGrad"/>).
    /// </summary>
    private bool _gradOwned;

    /// <summary>
    /// For a leaf with a gradient buffer: that buffer, and the β a kernel must apply to it when it
    /// writes this VJP's contribution straight in (C = contribution + β·C; 0 right after
    /// <see cref="ZeroGrad"/>, else 1), so a GEMM or reduction skips the temporary and the extra add.
    /// False for intermediates, whose gradient is a fresh tensor.
    /// </summary>
    internal bool TryGradTarget(out BufferView target, out double beta)
    {
        if (!IsLeaf || _grad is null)
        {
            (target, beta) = (default, 0);
            return false;
        }

        (target, beta) = (_grad.View, _gradZeroPending ? 0 : 1);
        if (_gradZeroPending)
        {
            _gradZeroPending = false;
            CapturedStep.NotePendingZeroConsumed(this);
        }

        return true;
    }

    /// <summary>After a replay: the replayed kernels overwrote this gradient, as the recording did, so it reads as computed.</summary>
    internal void ClearPendingZero() => _gradZeroPending = false;

    /// <summary>Sets <see cref="Grad"/> to zero (keeps the buffer; cleared lazily, see <see cref="_gradZeroPending"/>).</summary>
    public void ZeroGrad() => _gradZeroPending = _grad is not null;
}
