namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    private const int GemmTile = 64;    // TILE in gemm.cl: C block per work-group
    private const int GemmThreads = 16; // THREADS in gemm.cl: work-group is 16 × 16

    public void Gemm(
        bool transA, bool transB, int m, int n, int k, double alpha,
        BufferView a, int lda, int strideA,
        BufferView b, int ldb, int strideB,
        double beta, BufferView c, int ldc, int strideC, int batch = 1)
    {
        if (m == 0 || n == 0 || batch == 0)
        {
            return;
        }

        var dtype = c.DType;
        var spanA = k == 0 ? 0 : transA ? (long)(k - 1) * lda + m : (long)(m - 1) * lda + k;
        var spanB = k == 0 ? 0 : transB ? (long)(n - 1) * ldb + k : (long)(k - 1) * ldb + n;
        Check(nameof(Gemm), dtype, a, spanA == 0 ? 0 : spanA + (long)(batch - 1) * strideA, "a");
        Check(nameof(Gemm), dtype, b, spanB == 0 ? 0 : spanB + (long)(batch - 1) * strideB, "b");
        Check(nameof(Gemm), dtype, c, (long)(m - 1) * ldc + n + (long)(batch - 1) * strideC, "c");
        using var scope = _gate.EnterScope();
        EnqueueGemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
    }

    /// <summary>The weight gradient as a GEMM, the bias gradient as a reduction over the rows (no fused kernel here).</summary>
    public void DenseGradients(int rows, int outputs, int inputs, BufferView dy, BufferView x, double dwBeta, BufferView dw, double dbBeta, BufferView db)
    {
        DenseGradientsCheck.Views(rows, outputs, inputs, dy, x, dw, db);
        Gemm(true, false, outputs, inputs, rows, 1.0, dy, outputs, 0, x, inputs, 0, dwBeta, dw, inputs, 0);
        if (dbBeta == 0)
        {
            Reduce(ReduceOp.Sum, dy, db.Slice(0, outputs), 1, rows, outputs);
            return;
        }

        // β ≠ 0: the sums into a pooled buffer, then db = sums + β·db (the queue runs in order, so the buffer can go back at once)
        var sums = Allocate(dy.DType, Math.Max(1, outputs));
        try
        {
            var view = new BufferView(sums, 0, outputs);
            Reduce(ReduceOp.Sum, dy, view, 1, rows, outputs);
            if (dbBeta != 1)
            {
                Unary(UnaryOp.Affine, db.Slice(0, outputs), db.Slice(0, outputs), dbBeta, 0);
            }

            Binary(BinaryOp.Add, db.Slice(0, outputs), [1], view, [1], db.Slice(0, outputs), [outputs]);
        }
        finally
        {
            Release(sums);
        }
    }

    /// <summary>The GEMM, then the bias and activation pass (no fused kernel here).</summary>
    public void GemmBiasActivation(
        bool transA, bool transB, int m, int n, int k, BufferView a, int lda, BufferView b, int ldb, BufferView c, int ldc,
        BufferView bias, UnaryOp activation, double alpha)
    {
        if (ldc != n)
        {
            throw new ArgumentException($"GemmBiasActivation: C rows {ldc} apart for {n} columns; the bias pass needs them contiguous.");
        }

        Gemm(transA, transB, m, n, k, 1.0, a, lda, 0, b, ldb, 0, 0.0, c, ldc, 0);
        BiasActivation(c, bias, m, n, activation, alpha);
    }

    public void BiasActivation(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, double alpha)
    {
        Check(nameof(BiasActivation), y.DType, y, (long)rows * cols, "y");
        Check(nameof(BiasActivation), y.DType, bias, cols, "bias");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.BiasActivation, y.DType).View(y).View(bias).Int(rows).Int(cols).Int((int)activation).Real(alpha), (long)rows * cols);
    }

    /// <summary>Queues gemm.cl over a grid of 64×64 C blocks per batch entry; the caller checked the views and holds the lock.</summary>
    private unsafe void EnqueueGemm(
        bool transA, bool transB, int m, int n, int k, double alpha,
        BufferView a, int lda, int strideA, BufferView b, int ldb, int strideB,
        double beta, BufferView c, int ldc, int strideC, int batch)
    {
        // α = 0 must not read A or B (a NaN there would leak through 0·NaN): run with no k terms.
        var depth = alpha == 0 ? 0 : k;
        var args = Args(ClKernelId.Gemm, c.DType).Flag(transA).Flag(transB).Int(m).Int(n).Int(depth).Real(alpha)
            .View(a).Int(lda).Int(strideA).View(b).Int(ldb).Int(strideB).Real(beta).View(c).Int(ldc).Int(strideC);
        var global = stackalloc nuint[]
        {
            (nuint)((n + GemmTile - 1) / GemmTile * GemmThreads),
            (nuint)((m + GemmTile - 1) / GemmTile * GemmThreads),
            (nuint)batch,
        };
        var local = stackalloc nuint[] { GemmThreads, GemmThreads, 1 };
        Enqueue(args, 3, global, local);
    }
}
