namespace Engine.Kernels;

/// <summary>
/// A backend's own route for the gradients of the large matrices of a hyper-layer call, tried by
/// <see cref="HyperLayerSteps"/> before its GEMM steps. Why: for HyperVAE's 560 × 560 targets the steps copy g into dB and
/// pack g twice (once per GEMM, each with 20 rows of output), reading the 1.25 MB g three times; a route that streams it
/// once and multiplies it unpacked does the same arithmetic with less traffic.
/// </summary>
internal interface IHyperMatrixGradientRoute
{
    /// <summary>
    /// From g [Rows, Cols] and uh = U·H [Rows, outer]: dB = g, dV = uhᵀ·g and duhT = V·gᵀ [outer, Rows], each skipped when
    /// null; false: not taken, nothing written.
    /// </summary>
    bool TryBackward(HyperMatrix target, int outer, BufferView uh, BufferView g, BufferView? dv, BufferView? db, BufferView? duhT);
}
