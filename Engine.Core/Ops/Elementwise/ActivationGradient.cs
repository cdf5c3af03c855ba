using Engine.Kernels;

namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// dy ⊙ f′ for the activation <paramref name="kind"/> an op applied to its output <paramref name="y"/>, read from y
    /// (ReLU and leaky ReLU from its sign, sigmoid and tanh from its value). Written over dy when dy is y's gradient and
    /// nothing else refers to it (<see cref="Tensor.TakeOwnedGrad"/>), else into a new tensor: the same values either way.
    /// </summary>
    private static Tensor ActivationGradient(Tensor y, Tensor dy, UnaryOp kind, double alpha)
    {
        var g = y.TakeOwnedGrad(dy) ? dy : y.EmptyLike();
        y.Backend.UnaryBackward(kind, y.View, y.View, dy.View, g.View, alpha);
        return g;
    }
}
