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

    public void BiasActivation(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, double alpha)
    {
        if (y.DType == DType.Float32)
        {
            BiasActivation<float>(y, bias, rows, cols, activation, (float)alpha);
        }
        else
        {
            BiasActivation<double>(y, bias, rows, cols, activation, alpha);
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
        for (var i = 0; i < batch; i++)
        {
            GemmKernel.Run(transA, transB, m, n, k, alpha,
                aa, a.Offset + i * strideA, lda, bb, b.Offset + i * strideB, ldb,
                beta, cc, c.Offset + i * strideC, ldc, _workers);
        }
    }

    private static void BiasActivation<T>(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var ys = y.Span<T>();
        var bs = bias.Span<T>();
        for (var r = 0; r < rows; r++)
        {
            var row = ys.Slice(r * cols, cols);
            System.Numerics.Tensors.TensorPrimitives.Add(row, bs, row);
            UnaryKernels.Forward(activation, row, row, alpha, T.Zero);
        }
    }
}
