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

        if (Grad is null)
        {
            Grad = g;
            return;
        }

        if (IsLeaf)
        {
            var strides = Shape.Strides();
            Backend.Binary(BinaryOp.Add, Grad.View, strides, g.View, strides, Grad.View, Shape.Dims);
            return;
        }

        Grad = Ops.Add(Grad, g);
    }

    /// <summary>Sets <see cref="Grad"/> to zero (keeps the buffer).</summary>
    public void ZeroGrad() => Grad?.Fill(0);
}
