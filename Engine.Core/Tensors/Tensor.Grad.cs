using Engine.Kernels;

namespace Engine.Core;

public sealed partial class Tensor
{
    /// <summary>
    /// Adds <paramref name="g"/> into <see cref="Grad"/>. Leaves own a persistent gradient that is
    /// added to in place; intermediate tensors take the first contribution as is and sum later ones.
    /// </summary>
    internal void AccumulateGrad(Tensor g)
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

        Grad = _grad is null ? g : Ops.Add(_grad, g);
        _gradOwned = false;
    }

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

    /// <summary>True when an intermediate's <see cref="Grad"/> was created by <see cref="AccumulateGradBlocks"/> and nothing else refers to it, so later blocks may add into it in place.</summary>
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
