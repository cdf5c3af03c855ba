using System.Buffers;

namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    public void Permute(BufferView x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, BufferView y)
    {
        var rank = shape.Length;
        if (perm.Length != rank || rank > MaxRank)
        {
            throw new ArgumentException($"{nameof(Permute)} on {Name}: {rank} axes with a permutation of {perm.Length} (at most {MaxRank} axes).");
        }

        Span<int> inStrides = stackalloc int[rank];
        var count = 1L;
        for (var axis = rank - 1; axis >= 0; axis--)
        {
            inStrides[axis] = (int)count;
            count *= shape[axis];
        }

        // y walks its axes in order; axis k of y steps x by x's stride of axis perm[k].
        Span<int> outShape = stackalloc int[rank];
        Span<int> walk = stackalloc int[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            outShape[axis] = shape[perm[axis]];
            walk[axis] = inStrides[perm[axis]];
        }

        Check(nameof(Permute), x.DType, x, count, "x");
        Check(nameof(Permute), x.DType, y, count, "y");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.Permute, x.DType).View(x).View(y).Int((int)count).Int(rank).Int8(outShape).Int8(walk), count);
    }

    public void Gather(BufferView x, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView y)
    {
        var m = indices.Length;
        CheckIndices(nameof(Gather), indices, n);
        Check(nameof(Gather), x.DType, x, (long)outer * n * inner, "x");
        Check(nameof(Gather), x.DType, y, (long)outer * m * inner, "y");
        if ((long)outer * m * inner == 0)
        {
            return;
        }

        using var scope = _gate.EnterScope();
        var uploaded = UploadIndices(indices);
        Enqueue1D(Args(ClKernelId.Gather, x.DType).View(x).Mem(uploaded).View(y).Int(outer).Int(n).Int(inner).Int(m), (long)outer * m * inner);
    }

    public void ScatterAdd(BufferView dy, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView dx)
    {
        var m = indices.Length;
        CheckIndices(nameof(ScatterAdd), indices, n);
        Check(nameof(ScatterAdd), dy.DType, dy, (long)outer * m * inner, "dy");
        Check(nameof(ScatterAdd), dy.DType, dx, (long)outer * n * inner, "dx");
        if ((long)outer * n * inner == 0 || m == 0)
        {
            return;
        }

        // The inverse of indices as CSR, [starts (n + 1) | sources (m)]: a counting sort keeps the
        // sources of each target in ascending j, the order the CPU adds them in.
        var csr = ArrayPool<int>.Shared.Rent(n + 1 + m);
        try
        {
            var starts = csr.AsSpan(0, n + 1);
            var sources = csr.AsSpan(n + 1, m);
            starts.Clear();
            foreach (var t in indices)
            {
                starts[t + 1]++;
            }

            for (var t = 0; t < n; t++)
            {
                starts[t + 1] += starts[t];
            }

            var next = ArrayPool<int>.Shared.Rent(n);
            starts[..n].CopyTo(next);
            for (var j = 0; j < m; j++)
            {
                sources[next[indices[j]]++] = j;
            }

            ArrayPool<int>.Shared.Return(next);
            using var scope = _gate.EnterScope();
            var uploaded = UploadIndices(csr.AsSpan(0, n + 1 + m));
            // starts at element 0 and sources at element n + 1 of the same scratch buffer: passed as two
            // arguments with the kernel indexing sources from its own offset.
            var args = Args(ClKernelId.ScatterAdd, dy.DType).View(dy).Mem(uploaded).Int(n + 1).View(dx).Int(outer).Int(n).Int(inner).Int(m);
            Enqueue1D(args, (long)outer * n * inner);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(csr);
        }
    }

    private static void CheckIndices(string kernel, ReadOnlySpan<int> indices, int n)
    {
        foreach (var index in indices)
        {
            if ((uint)index >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"{kernel}: index {index} is outside [0, {n}).");
            }
        }
    }
}
