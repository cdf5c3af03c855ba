namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>
    /// Batched GEMM, row-major: for each batch index b,
    /// C_b = α·op(A_b)·op(B_b) + β·C_b, op(X) = X or Xᵀ, op(A): [m, k], op(B): [k, n], C: [m, n].
    /// lda/ldb/ldc are row strides of the stored (untransposed) matrices; strideA/B/C are the
    /// element offsets between batch entries (0 broadcasts one matrix over the batch).
    /// </summary>
    void Gemm(
        bool transA, bool transB, int m, int n, int k, double alpha,
        BufferView a, int lda, int strideA,
        BufferView b, int ldb, int strideB,
        double beta, BufferView c, int ldc, int strideC, int batch = 1);

    /// <summary>y[r, c] = act(y[r, c] + bias[c]) over [rows, cols] in place (the tail of a fused linear layer).</summary>
    void BiasActivation(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, double alpha);

    /// <summary>
    /// C = act(op(A)·op(B) + bias) for one [m, n] product, C rows <paramref name="ldc"/> apart: <see cref="Gemm"/> with α = 1
    /// and β = 0, then <see cref="BiasActivation"/>, as one call, with the same values. A backend may apply the bias and the
    /// activation to each block of C as it finishes it instead of in a pass of their own.
    /// </summary>
    void GemmBiasActivation(
        bool transA, bool transB, int m, int n, int k, BufferView a, int lda, BufferView b, int ldb, BufferView c, int ldc,
        BufferView bias, UnaryOp activation, double alpha);

    /// <summary>
    /// A dense layer's weight and bias gradients from its output gradient dy [rows, outputs] and input x [rows, inputs]:
    /// dw [outputs, inputs] = dyᵀ·x + β_w·dw and db [outputs] = Σ_rows dy + β_b·db (β = 0 does not read the target). A backend
    /// may take the bias sums from the same read of dy as the product: on the CPU each output's rows are summed in order (a
    /// product split in k sums each half in order, then adds them), so the sums do not depend on the thread count, though
    /// their rounding may differ from a separate reduction's.
    /// </summary>
    void DenseGradients(int rows, int outputs, int inputs, BufferView dy, BufferView x, double dwBeta, BufferView dw, double dbBeta, BufferView db);
}
