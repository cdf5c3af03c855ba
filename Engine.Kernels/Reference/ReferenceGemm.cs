using System.Numerics;

namespace Engine.Kernels.Reference;

/// <summary>
/// Ground truth for GEMM parity tests: C = α·op(A)·op(B) + β·C as a plain float64 triple loop over
/// the same row-major storage (lda/ldb/ldc are row strides of the stored matrices); β = 0 ignores C.
/// Also returns, per element, the scale |α|·Σ_p |op(A)[i,p]·op(B)[p,j]| + |β·C[i,j]| that a
/// rounding-error bound is relative to.
/// </summary>
internal static class ReferenceGemm
{
    public static (double[] C, double[] Scale) Run<T>(
        bool transA, bool transB, int m, int n, int k, double alpha,
        T[] a, int aOffset, int lda, T[] b, int bOffset, int ldb,
        double beta, T[] c, int cOffset, int ldc)
        where T : INumberBase<T>
    {
        // op(A) as [m, k] and op(B)ᵀ as [n, k], both in float64, so the inner loop is one dot product
        var rowsA = new double[m * k];
        var colsB = new double[n * k];
        for (var p = 0; p < k; p++)
        {
            for (var i = 0; i < m; i++)
            {
                rowsA[i * k + p] = double.CreateChecked(transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p]);
            }

            for (var j = 0; j < n; j++)
            {
                colsB[j * k + p] = double.CreateChecked(transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j]);
            }
        }

        var result = new double[m * n];
        var scale = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (var p = 0; p < k; p++)
                {
                    var product = rowsA[i * k + p] * colsB[j * k + p];
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                var old = beta == 0 ? 0 : double.CreateChecked(c[cOffset + i * ldc + j]);
                result[i * n + j] = alpha * sum + beta * old;
                scale[i * n + j] = Math.Abs(alpha) * magnitude + Math.Abs(beta * old);
            }
        }

        return (result, scale);
    }
}
