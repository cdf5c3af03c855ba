using Engine.Kernels;

namespace Engine.Core;

/// <summary>Activations a fused linear layer can apply; each has a derivative computable from its output.</summary>
public enum Activation
{
    None,
    Relu,
    LeakyRelu,
    Sigmoid,
    Tanh,
}

public static partial class Ops
{
    /// <summary>
    /// Fused y = act(x·Wᵀ + b): x [B, in], w [out, in] (PyTorch layout), b [out] or null.
    /// VJP: g = dy ⊙ act′ (from y), dx = g·W, dW = gᵀ·x, db = Σ_rows g.
    /// The weights are plain arguments, so generated weights flow in like parameters.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? b = null, Activation activation = Activation.None, double alpha = 0.01)
    {
        if (b is null)
        {
            CheckCompatible("linear", x, w);
        }
        else
        {
            CheckCompatible("linear", x, w, b);
        }

        CheckRank("linear", w, 2, "weight");
        if (x.Rank != 2)
        {
            var flat = Linear(Reshape(x, -1, x.Shape[-1]), w, b, activation, alpha);
            var dims = x.Shape.ToArray();
            dims[^1] = w.Shape[0];
            return Reshape(flat, dims);
        }

        int rows = x.Shape[0], inputs = x.Shape[1], outputs = w.Shape[0];
        if (w.Shape[1] != inputs)
        {
            throw new ArgumentException($"linear: input {x.Shape} does not match weight {w.Shape} (expected [{outputs}, {inputs}]).");
        }

        if (b is not null && b.Shape != new Shape(outputs))
        {
            throw new ArgumentException($"linear: bias {b.Shape} does not match weight {w.Shape} (expected [{outputs}]).");
        }

        if (activation == Activation.LeakyRelu && alpha <= 0)
        {
            throw new ArgumentException($"linear: leaky relu slope {alpha} must be positive (its derivative is read from the output).");
        }

        var kind = ToUnary(activation);
        var y = Tensor.Empty(new Shape(rows, outputs), x.DType, x.Backend);
        if (b is not null)
        {
            x.Backend.GemmBiasActivation(false, true, rows, outputs, inputs, x.View, inputs, w.View, inputs, y.View, outputs, b.View, kind, alpha);
        }
        else
        {
            x.Backend.Gemm(false, true, rows, outputs, inputs, 1.0, x.View, inputs, 0, w.View, inputs, 0, 0.0, y.View, outputs, 0);
            if (kind != UnaryOp.Identity)
            {
                x.Backend.Unary(kind, y.View, y.View, alpha); // no bias: activation in place, no zero bias to allocate
            }
        }

        Tensor[] inputsOnTape = b is null ? [x, w] : [x, w, b];
        Tape.Record("linear", y, inputsOnTape, dy =>
        {
            // NOTE: relu/leaky relu read the sign of the output: y > 0 exactly when x > 0.
            var g = kind == UnaryOp.Identity ? dy : ActivationGradient(y, dy, kind, alpha);

            if (x.RequiresGrad)
            {
                var dx = x.EmptyLike();
                x.Backend.Gemm(false, false, rows, inputs, outputs, 1.0, g.View, outputs, 0, w.View, inputs, 0, 0.0, dx.View, inputs, 0);
                x.AccumulateGrad(dx, handedOver: true);
            }

            if (w.RequiresGrad && b is not null && b.RequiresGrad)
            {
                // both from one read of g (the backend may sum the bias while it packs g for the product)
                var dw = w.TryGradTarget(out var wTarget, out var wBeta) ? null : w.EmptyLike();
                var db = b.TryGradTarget(out var bTarget, out var bBeta) ? null : b.EmptyLike();
                x.Backend.DenseGradients(rows, outputs, inputs, g.View, x.View, dw is null ? wBeta : 0.0, dw?.View ?? wTarget, db is null ? bBeta : 0.0, db?.View ?? bTarget);
                if (dw is not null)
                {
                    w.AccumulateGrad(dw);
                }

                if (db is not null)
                {
                    b.AccumulateGrad(db);
                }
            }
            else if (w.RequiresGrad)
            {
                // a leaf's gradient takes the GEMM directly (β from TryGradTarget); otherwise a fresh dW is accumulated
                var dw = w.TryGradTarget(out var target, out var beta) ? null : w.EmptyLike();
                x.Backend.Gemm(true, false, outputs, inputs, rows, 1.0, g.View, outputs, 0, x.View, inputs, 0, dw is null ? beta : 0.0, dw?.View ?? target, inputs, 0);
                if (dw is not null)
                {
                    w.AccumulateGrad(dw);
                }
            }
            else if (b is not null && b.RequiresGrad)
            {
                b.AccumulateGrad(Sum(g, 0));
            }
        });
        return y;
    }

    private static UnaryOp ToUnary(Activation activation) => activation switch
    {
        Activation.None => UnaryOp.Identity,
        Activation.Relu => UnaryOp.Relu,
        Activation.LeakyRelu => UnaryOp.LeakyRelu,
        Activation.Sigmoid => UnaryOp.Sigmoid,
        Activation.Tanh => UnaryOp.Tanh,
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };
}
