namespace Engine.Kernels;

/// <summary>
/// <see cref="IBackend.HyperLayer"/> and its backward as steps of a backend's own GEMM, copy and activation kernels, one
/// call for every target of a network. Why one call: the composed ops made, per target, a GEMM, a second GEMM, a
/// broadcast-free add of B and an activation pass (and a copy of dB), each recorded, replayed and dispatched on its
/// own: HyperVAE has 18 targets, most of them a few dozen values. Here B is copied into W and the second GEMM adds to
/// it (β = 1), so the add pass is gone, and U·H is kept from the forward instead of being recomputed.
/// </summary>
public static class HyperLayerSteps
{
    public static void Forward(IBackend backend, BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh)
    {
        Check(h, inner, outer, targets, uh);
        var at = 0;
        foreach (var t in targets)
        {
            var uhT = uh.Slice(at, t.Rows * outer);
            at += t.Rows * outer;
            backend.Gemm(false, false, t.Rows, outer, inner, 1, t.U, inner, 0, h, outer, 0, 0, uhT, outer, 0);
            backend.Copy(t.B, t.W);
            backend.Gemm(false, false, t.Rows, t.Cols, outer, 1, uhT, outer, 0, t.V, t.Cols, 0, 1, t.W, t.Cols, 0);
            if (t.Activation != UnaryOp.Identity)
            {
                backend.Unary(t.Activation, t.W, t.W, t.Alpha);
            }
        }
    }

    public static void Backward(
        IBackend backend, BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh, HyperMatrixGradient[] gradients,
        BufferView? dh, BufferView scratch) =>
        Backward(backend, h, inner, outer, targets, uh, gradients, dh, scratch, route: null);

    /// <summary>The backward, offering each target's dB, dV and U·H gradient to <paramref name="route"/> before the GEMM steps.</summary>
    internal static void Backward(
        IBackend backend, BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh, HyperMatrixGradient[] gradients,
        BufferView? dh, BufferView scratch, IHyperMatrixGradientRoute? route)
    {
        Check(h, inner, outer, targets, uh);
        if (gradients.Length != targets.Length)
        {
            throw new ArgumentException($"hyper_layer backward: {gradients.Length} gradients for {targets.Length} targets.");
        }

        var (gLength, duhLength) = (0, 0);
        foreach (var t in targets)
        {
            (gLength, duhLength) = (Math.Max(gLength, t.Rows * t.Cols), Math.Max(duhLength, t.Rows * outer));
        }
        if (scratch.Length < gLength + duhLength)
        {
            throw new ArgumentException($"hyper_layer backward: scratch has {scratch.Length} values, needs {gLength + duhLength}.");
        }

        var (at, dhStarted) = (0, false);
        for (var i = 0; i < targets.Length; i++)
        {
            var (t, grad) = (targets[i], gradients[i]);
            var uhT = uh.Slice(at, t.Rows * outer);
            at += t.Rows * outer;
            CheckLength("dW", grad.DW, t.Rows * t.Cols, i);
            var g = grad.DW;
            if (t.Activation != UnaryOp.Identity)
            {
                g = scratch.Slice(0, t.Rows * t.Cols);
                backend.UnaryBackward(t.Activation, t.W, t.W, grad.DW, g, t.Alpha); // the derivative read from the output W
            }

            var wantsDuh = grad.DU is not null || dh is not null;
            var duhT = scratch.Slice(gLength, t.Rows * outer);
            if (route is null || !route.TryBackward(t, outer, uhT, g, grad.DV, grad.DB, wantsDuh ? duhT : null))
            {
                if (grad.DB is { } db)
                {
                    backend.Copy(g, db);
                }

                if (grad.DV is { } dv)
                {
                    backend.Gemm(true, false, outer, t.Cols, t.Rows, 1, uhT, outer, 0, g, t.Cols, 0, 0, dv, t.Cols, 0);
                }

                // the gradient of U·H, held transposed: (g·Vᵀ)ᵀ = V·gᵀ [outer, Rows]. Why: g is the large operand (560 × 560
                // in HyperVAE) and outer is small (20); as B of V·gᵀ it is packed by 16 × 16 transposes into 35 column strips,
                // as A of g·Vᵀ by 8-, 4- and 2-row transposes into strips one 20-column tile wide (130 vs 160–190 µs alone)
                if (wantsDuh)
                {
                    backend.Gemm(false, true, outer, t.Rows, t.Cols, 1, t.V, t.Cols, 0, g, t.Cols, 0, 0, duhT, t.Rows, 0);
                }
            }

            if (!wantsDuh)
            {
                continue;
            }

            if (grad.DU is { } du)
            {
                backend.Gemm(true, true, t.Rows, inner, outer, 1, duhT, t.Rows, 0, h, outer, 0, 0, du, inner, 0); // (V·gᵀ)ᵀ·Hᵀ
            }

            if (dh is { } dH)
            {
                backend.Gemm(true, true, inner, outer, t.Rows, 1, t.U, inner, 0, duhT, t.Rows, 0, dhStarted ? 1 : 0, dH, outer, 0); // Uᵀ·(V·gᵀ)ᵀ
                dhStarted = true;
            }
        }

        if (dh is { } unset && !dhStarted)
        {
            backend.Fill(unset, 0);
        }
    }

    private static void Check(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh)
    {
        if (inner < 1 || outer < 1 || h.Length < inner * outer || targets.Length == 0)
        {
            throw new ArgumentException($"hyper_layer: H [{inner}, {outer}] in {h.Length} values with {targets.Length} targets.");
        }

        var uhLength = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            var t = targets[i];
            CheckLength("U", t.U, t.Rows * inner, i);
            CheckLength("V", t.V, outer * t.Cols, i);
            CheckLength("B", t.B, t.Rows * t.Cols, i);
            CheckLength("W", t.W, t.Rows * t.Cols, i);
            uhLength += t.Rows * outer;
        }

        if (uh.Length < uhLength)
        {
            throw new ArgumentException($"hyper_layer: U·H needs {uhLength} values, got {uh.Length}.");
        }
    }

    private static void CheckLength(string what, BufferView view, int length, int target)
    {
        if (view.Length != length)
        {
            throw new ArgumentException($"hyper_layer: target {target}'s {what} has {view.Length} values, expected {length}.");
        }
    }
}
