using System.Numerics;
using Engine.Kernels.Cpu.Gemm;

namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void Gemm(
        bool transA, bool transB, int m, int n, int k, double alpha,
        BufferView a, int lda, int strideA,
        BufferView b, int ldb, int strideB,
        double beta, BufferView c, int ldc, int strideC, int batch = 1)
    {
        if (a.DType == DType.Float32)
        {
            BatchedGemm(transA, transB, m, n, k, (float)alpha, a, lda, strideA, b, ldb, strideB, (float)beta, c, ldc, strideC, batch);
        }
        else
        {
            BatchedGemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
        }
    }

    public void GemmBiasActivation(
        bool transA, bool transB, int m, int n, int k, BufferView a, int lda, BufferView b, int ldb, BufferView c, int ldc,
        BufferView bias, UnaryOp activation, double alpha)
    {
        if (bias.Length < n)
        {
            throw new ArgumentException($"GemmBiasActivation: bias has {bias.Length} elements for {n} columns.");
        }

        if (ldc != n)
        {
            // NOTE: the separate pass (BiasActivation) takes contiguous rows; refused here as on OpenCL, so both backends agree
            throw new ArgumentException($"GemmBiasActivation: C rows {ldc} apart for {n} columns; the bias pass needs them contiguous.");
        }

        if (!GemmEpilogue<float>.Supports(activation))
        {
            Gemm(transA, transB, m, n, k, 1.0, a, lda, 0, b, ldb, 0, 0.0, c, ldc, 0);
            BiasActivation(c, bias, m, n, activation, alpha);
            return;
        }

        if (a.DType == DType.Float32)
        {
            GemmKernel.Run(transA, transB, m, n, k, 1f, a.Array<float>(), a.Offset, lda, b.Array<float>(), b.Offset, ldb, 0f, c.Array<float>(), c.Offset, ldc,
                _workers, new GemmEpilogue<float>(bias.Array<float>(), bias.Offset, activation, (float)alpha));
        }
        else
        {
            GemmKernel.Run(transA, transB, m, n, k, 1.0, a.Array<double>(), a.Offset, lda, b.Array<double>(), b.Offset, ldb, 0.0, c.Array<double>(), c.Offset, ldc,
                _workers, new GemmEpilogue<double>(bias.Array<double>(), bias.Offset, activation, alpha));
        }
    }

    public void DenseGradients(int rows, int outputs, int inputs, BufferView dy, BufferView x, double dwBeta, BufferView dw, double dbBeta, BufferView db)
    {
        DenseGradientsCheck.Views(rows, outputs, inputs, dy, x, dw, db);
        if (dy.DType == DType.Float32)
        {
            GemmKernel.Run(true, false, outputs, inputs, rows, 1f, dy.Array<float>(), dy.Offset, outputs, x.Array<float>(), x.Offset, inputs,
                (float)dwBeta, dw.Array<float>(), dw.Offset, inputs, _workers, rowSums: new GemmRowSums<float>(db.Array<float>(), db.Offset, (float)dbBeta));
        }
        else
        {
            GemmKernel.Run(true, false, outputs, inputs, rows, 1.0, dy.Array<double>(), dy.Offset, outputs, x.Array<double>(), x.Offset, inputs,
                dwBeta, dw.Array<double>(), dw.Offset, inputs, _workers, rowSums: new GemmRowSums<double>(db.Array<double>(), db.Offset, dbBeta));
        }
    }

    public void BiasActivation(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, double alpha)
    {
        if (y.DType == DType.Float32)
        {
            BiasActivationRows(y, bias, rows, cols, activation, (float)alpha);
        }
        else
        {
            BiasActivationRows(y, bias, rows, cols, activation, alpha);
        }
    }

    private void BatchedGemm<T>(
        bool transA, bool transB, int m, int n, int k, T alpha,
        BufferView a, int lda, int strideA, BufferView b, int ldb, int strideB,
        T beta, BufferView c, int ldc, int strideC, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var aa = a.Array<T>();
        var bb = b.Array<T>();
        var cc = c.Array<T>();
        if (batch > 1 && _workers.Threads > 1 && !GemmKernel.RunsInParallel(m, n, k))
        {
            // NOTE: items too small to split run whole, one per pool chunk (each on one thread, so results do not depend on
            // the thread count); in turn on the calling thread, the hypernetwork's 32 per-net fc products (32×8×784) left
            // the other core idle
            CpuParallel.ForEach(_workers, batch, new GemmItemsBody<T>(transA, transB, m, n, k, alpha, aa, a.Offset, lda, strideA,
                bb, b.Offset, ldb, strideB, beta, cc, c.Offset, ldc, strideC));
            return;
        }

        for (var i = 0; i < batch; i++)
        {
            GemmKernel.Run(transA, transB, m, n, k, alpha,
                aa, a.Offset + i * strideA, lda, bb, b.Offset + i * strideB, ldb,
                beta, cc, c.Offset + i * strideC, ldc, _workers);
        }
    }

    /// <summary>Each row y[r] = f(y[r] + bias); rows are split across the worker pool when there are many.</summary>
    private void BiasActivationRows<T>(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (rows < 0 || cols < 0 || y.Length < rows * cols || bias.Length < cols)
        {
            throw new ArgumentException($"BiasActivation: views (y {y.Length}, bias {bias.Length}) do not fit {rows}×{cols}.");
        }

        var rowsPerChunk = Math.Max(1, UnaryKernels.ParallelGrain / Math.Max(1, cols));
        CpuParallel.For(_workers, rows, rowsPerChunk, new BiasActivationBody<T>(y.Array<T>(), y.Offset, bias.Array<T>(), bias.Offset, cols, activation, alpha), alignment: 1);
    }

    private readonly struct BiasActivationBody<T>(T[] y, int yOffset, T[] bias, int biasOffset, int cols, UnaryOp activation, T alpha) : IRangeBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            var b = bias.AsSpan(biasOffset, cols);
            for (var r = start; r < end; r++)
            {
                var row = y.AsSpan(yOffset + r * cols, cols);
                System.Numerics.Tensors.TensorPrimitives.Add(row, b, row);
                UnaryKernels.Forward(activation, row, row, alpha, T.Zero);
            }
        }
    }
}

/// <summary>Batch items [start, end) of a batched GEMM, each whole on the calling thread.</summary>
internal readonly struct GemmItemsBody<T>(
    bool transA, bool transB, int m, int n, int k, T alpha, T[] a, int aOffset, int lda, int strideA,
    T[] b, int bOffset, int ldb, int strideB, T beta, T[] c, int cOffset, int ldc, int strideC) : IRangeBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            GemmKernel.Run(transA, transB, m, n, k, alpha, a, aOffset + i * strideA, lda, b, bOffset + i * strideB, ldb,
                beta, c, cOffset + i * strideC, ldc, workers: null);
        }
    }
}
