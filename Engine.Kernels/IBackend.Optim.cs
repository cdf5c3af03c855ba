namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>
    /// One Adam update in place, with g = gradScale·grad:
    /// m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − lr·(m/c1) / (√(v/c2) + ε) − lr·wd·p,
    /// where c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ are the bias corrections.
    /// </summary>
    void AdamStep(BufferView p, BufferView grad, BufferView m, BufferView v, double lr, double beta1, double beta2, double eps, double c1, double c2, double weightDecay, double gradScale);

    /// <summary>SGD with momentum in place: buf ← μ·buf + g; p ← p − lr·buf (buf ignored when μ = 0), g = gradScale·grad.</summary>
    void SgdStep(BufferView p, BufferView grad, BufferView? momentumBuffer, double lr, double momentum, double gradScale);

    /// <summary>Σ x² as a host double (gradient norms).</summary>
    double SumOfSquares(BufferView x);
}
