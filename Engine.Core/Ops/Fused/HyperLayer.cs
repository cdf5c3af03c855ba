namespace Engine.Core;

/// <summary>
/// One generated tensor of a matrix hyper-layer: W = σ(U·H·V + B) reshaped to <see cref="Shape"/>.
/// U [rows, h], V [h', cols], B [rows, cols] with rows·cols = Shape's element count.
/// </summary>
public sealed record HyperTarget(Tensor U, Tensor V, Tensor B, Shape Shape, Activation Activation = Activation.None);

public static partial class Ops
{
    /// <summary>
    /// The matrix hyper-layer of HyperVAE for a whole list of target tensors in one call:
    /// W_t = σ_t(U_t·H·V_t + B_t), H [h, h'] shared. VJP per target (through MatMul/Add/σ):
    /// dB = g, dU = g·(H·V)ᵀ, dH += Uᵀ·g·Vᵀ, dV = (U·H)ᵀ·g with g = dW ⊙ σ′. This version composes
    /// those ops; a single-launch kernel can replace it without changing callers.
    /// </summary>
    public static Tensor[] HyperLayer(Tensor h, IReadOnlyList<HyperTarget> targets)
    {
        CheckRank("hyper_layer", h, 2, "H");
        var outputs = new Tensor[targets.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            var target = targets[t];
            CheckCompatible("hyper_layer", h, target.U, target.V, target.B);
            var rows = target.U.Shape[0];
            var cols = target.V.Shape[-1];
            if (target.U.Shape[1] != h.Shape[0] || target.V.Shape[0] != h.Shape[1] || target.B.Shape != new Shape(rows, cols) || rows * cols != target.Shape.Numel)
            {
                throw new ArgumentException($"hyper_layer: target {t} has U {target.U.Shape}, H {h.Shape}, V {target.V.Shape}, B {target.B.Shape} for a tensor of shape {target.Shape}.");
            }

            var pre = Add(MatMul(MatMul(target.U, h), target.V), target.B);
            var w = target.Activation switch
            {
                Activation.None => pre,
                Activation.Relu => Relu(pre),
                Activation.LeakyRelu => LeakyRelu(pre),
                Activation.Sigmoid => Sigmoid(pre),
                _ => Tanh(pre),
            };
            outputs[t] = Reshape(w, target.Shape.ToArray());
        }

        return outputs;
    }
}
