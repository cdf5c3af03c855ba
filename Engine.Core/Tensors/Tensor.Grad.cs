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
    }

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
        _gradZeroPending = false;
        return true;
    }

    /// <summary>Sets <see cref="Grad"/> to zero (keeps the buffer; cleared lazily, see <see cref="_gradZeroPending"/>).</summary>
    public void ZeroGrad() => _gradZeroPending = _grad is not null;
}
