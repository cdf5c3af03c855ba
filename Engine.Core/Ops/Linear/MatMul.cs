namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// y = op(a)·op(b), op = transpose when the flag is set, on the last two axes.
    /// a: [m, k] or [batch…, m, k]; b: [k, n], or [batch…, k, n] with the same batch axes.
    /// VJP (no transposes): da = dy·bᵀ, db = aᵀ·dy; the transposed cases follow by symmetry and are
    /// computed with the transpose flags, never by materialising a transpose.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        CheckCompatible("matmul", a, b);
        if (a.Rank < 2 || b.Rank < 2)
        {
            throw new ArgumentException($"matmul: operands need rank ≥ 2, got {a.Shape} and {b.Shape}.");
        }

        if (b.Rank == 2 && a.Rank > 2)
        {
            if (transA)
            {
                throw new ArgumentException($"matmul: a batched transposed a ({a.Shape}) with a shared b ({b.Shape}) is not supported; transpose a first.");
            }

            // [batch…, m, k]·[k, n]: one GEMM over the flattened rows.
            var rows = Reshape(a, -1, a.Shape[-1]);
            var flat = MatMul(rows, b, false, transB);
            var dims = a.Shape.ToArray();
            dims[^1] = flat.Shape[1];
            return Reshape(flat, dims);
        }

        if (a.Rank != b.Rank || !a.Shape.Dims[..^2].SequenceEqual(b.Shape.Dims[..^2]))
        {
            throw new ArgumentException($"matmul: batch axes of {a.Shape} and {b.Shape} differ.");
        }

        int am = a.Shape[-2], ak = a.Shape[-1], bk = b.Shape[-2], bn = b.Shape[-1];
        var m = transA ? ak : am;
        var k = transA ? am : ak;
        var kb = transB ? bn : bk;
        var n = transB ? bk : bn;
        if (k != kb)
        {
            throw new ArgumentException($"matmul: inner dimensions differ: {Describe(a.Shape, transA)}·{Describe(b.Shape, transB)} ({k} vs {kb}).");
        }

        var batch = a.Numel / Math.Max(1, am * ak);
        var dims2 = a.Shape.ToArray();
        dims2[^2] = m;
        dims2[^1] = n;
        var y = Tensor.Empty(new Shape(dims2), a.DType, a.Backend);
        Gemm(transA, transB, m, n, k, a, b, y, batch, beta: 0);
        Tape.Record("matmul", y, [a, b], dy =>
        {
            if (a.RequiresGrad)
            {
                var da = a.EmptyLike();
                // stored a is [m,k] (or [k,m] if transA)
                if (!transA)
                {
                    Gemm(false, !transB, m, k, n, dy, b, da, batch, 0);
                }
                else
                {
                    Gemm(transB, true, k, m, n, b, dy, da, batch, 0);
                }

                a.AccumulateGrad(da);
            }

            if (b.RequiresGrad)
            {
                var db = b.EmptyLike();
                if (!transB)
                {
                    Gemm(!transA, false, k, n, m, a, dy, db, batch, 0);
                }
                else
                {
                    Gemm(true, transA, n, k, m, dy, a, db, batch, 0);
                }

                b.AccumulateGrad(db);
            }
        });
        return y;
    }

    /// <summary>c = op(a)·op(b) (+ beta·c) for contiguous batched matrices, strides derived from the shapes.</summary>
    internal static void Gemm(bool transA, bool transB, int m, int n, int k, Tensor a, Tensor b, Tensor c, int batch, double beta)
    {
        var lda = a.Shape[-1];
        var ldb = b.Shape[-1];
        var ldc = c.Shape[-1];
        a.Backend.Gemm(transA, transB, m, n, k, 1.0,
            a.View, lda, m * k,
            b.View, ldb, k * n,
            beta, c.View, ldc, m * n, batch);
    }

    private static string Describe(Shape s, bool transposed) => transposed ? s + "ᵀ" : s.ToString();
}
