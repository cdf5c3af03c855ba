using Engine.Kernels;

namespace Engine.Core;

/// <summary>
/// One generated tensor of a matrix hyper-layer: W = σ(U·H·V + B) reshaped to <see cref="Shape"/>.
/// U [rows, h], V [h', cols], B [rows, cols] with rows·cols = Shape's element count.
/// </summary>
public sealed record HyperTarget(Tensor U, Tensor V, Tensor B, Shape Shape, Activation Activation = Activation.None);

public static partial class Ops
{
    /// <summary>
    /// The matrix hyper-layer of HyperVAE for a whole list of target tensors in one backend call
    /// (<see cref="IBackend.HyperLayer"/>): W_t = σ_t(U_t·H·V_t + B_t), H [h, h'] shared. VJP, one backend call per
    /// target: g = dW ⊙ σ′ (from W), dB = g, dU = g·(H·V)ᵀ, dH += Uᵀ·g·Vᵀ, dV = (U·H)ᵀ·g. Leaky ReLU uses a slope of 0.01.
    /// </summary>
    public static Tensor[] HyperLayer(Tensor h, IReadOnlyList<HyperTarget> targets)
    {
        CheckRank("hyper_layer", h, 2, "H");
        if (targets.Count == 0)
        {
            throw new ArgumentException("hyper_layer: no targets.");
        }

        int inner = h.Shape[0], outer = h.Shape[1];
        var uhTotal = 0;
        for (var t = 0; t < targets.Count; t++)
        {
            var target = targets[t];
            CheckCompatible("hyper_layer", h, target.U, target.V, target.B);
            var rows = target.U.Shape[0];
            var cols = target.V.Shape[-1];
            if (target.U.Rank != 2 || target.V.Rank != 2 || target.U.Shape[1] != inner || target.V.Shape[0] != outer
                || target.B.Shape != new Shape(rows, cols) || rows * cols != target.Shape.Numel)
            {
                throw new ArgumentException($"hyper_layer: target {t} has U {target.U.Shape}, H {h.Shape}, V {target.V.Shape}, B {target.B.Shape} for a tensor of shape {target.Shape}.");
            }

            uhTotal += rows * outer;
        }

        var uh = Tensor.Empty(new Shape(uhTotal), h.DType, h.Backend); // U_t·H, kept for the VJP
        var outputs = new Tensor[targets.Count];
        var matrices = new HyperMatrix[targets.Count];
        for (var t = 0; t < targets.Count; t++)
        {
            var (target, rows, cols) = (targets[t], targets[t].U.Shape[0], targets[t].V.Shape[-1]);
            outputs[t] = Tensor.Empty(target.Shape, h.DType, h.Backend);
            matrices[t] = new HyperMatrix(target.U.View, target.V.View, target.B.View, outputs[t].View, rows, cols, ToUnary(target.Activation), 0.01);
        }

        h.Backend.HyperLayer(h.View, inner, outer, matrices, uh.View);

        // one tape node per generated tensor, each VJP one backend call: a single node would need the outputs as views of
        // one buffer, whose gradient then has to be zeroed and assembled slice by slice (a fill and 18 copies a HyperVAE step)
        var uhAt = 0;
        for (var t = 0; t < targets.Count; t++)
        {
            var (target, matrix) = (targets[t], matrices[t]);
            var at = uhAt; // the closure holds uh itself, so its buffer lives as long as the tape
            uhAt += matrix.Rows * outer;
            Tape.Record("hyper_layer", outputs[t], [h, target.U, target.V, target.B], dW => HyperLayerBackward(h, target, matrix, uh.View.Slice(at, matrix.Rows * outer), dW));
        }

        return outputs;
    }

    /// <summary>The VJP of one target: gradients written straight into a leaf's cleared gradient buffer, else into fresh tensors that are accumulated.</summary>
    private static void HyperLayerBackward(Tensor h, HyperTarget target, HyperMatrix matrix, BufferView uh, Tensor dW)
    {
        var pending = new List<(Tensor Input, Tensor Gradient)>(4);
        BufferView? Output(Tensor input)
        {
            if (!input.RequiresGrad)
            {
                return null;
            }

            if (input.TryGradTarget(out var target, out var beta) && beta == 0)
            {
                return target;
            }

            var fresh = input.EmptyLike();
            pending.Add((input, fresh));
            return fresh.View;
        }

        var outer = h.Shape[1];
        var gradient = new HyperMatrixGradient(dW.View, Output(target.U), Output(target.V), Output(target.B));
        var dh = Output(h);
        var scratch = Tensor.Empty(new Shape(matrix.Rows * matrix.Cols + matrix.Rows * outer), h.DType, h.Backend);
        h.Backend.HyperLayerBackward(h.View, h.Shape[0], outer, [matrix], uh, [gradient], dh, scratch.View);
        foreach (var (input, grad) in pending)
        {
            input.AccumulateGrad(grad);
        }
    }
}
