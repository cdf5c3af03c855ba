using System.Numerics;

namespace Engine.Kernels.Cpu;

/// <summary>Data movement: axis permutation, gather and its scatter-add VJP.</summary>
internal static class LayoutKernels
{
    public static void Permute<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, Span<T> y)
        where T : unmanaged
    {
        var rank = shape.Length;
        Span<int> inStrides = stackalloc int[rank];
        var stride = 1;
        for (var axis = rank - 1; axis >= 0; axis--)
        {
            inStrides[axis] = stride;
            stride *= shape[axis];
        }

        // Strides of x as seen when walking y's axes in order.
        Span<int> walkStrides = stackalloc int[rank];
        Span<int> outShape = stackalloc int[rank];
        for (var axis = 0; axis < rank; axis++)
        {
            walkStrides[axis] = inStrides[perm[axis]];
            outShape[axis] = shape[perm[axis]];
        }

        Span<int> index = stackalloc int[rank];
        var offset = 0;
        for (var i = 0; i < y.Length; i++)
        {
            y[i] = x[offset];
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                index[axis]++;
                offset += walkStrides[axis];
                if (index[axis] < outShape[axis])
                {
                    break;
                }

                offset -= walkStrides[axis] * outShape[axis];
                index[axis] = 0;
            }
        }
    }

    public static void Gather<T>(ReadOnlySpan<T> x, int outer, int n, int inner, ReadOnlySpan<int> indices, Span<T> y)
        where T : unmanaged
    {
        var m = indices.Length;
        for (var o = 0; o < outer; o++)
        {
            for (var j = 0; j < m; j++)
            {
                x.Slice((o * n + indices[j]) * inner, inner).CopyTo(y.Slice((o * m + j) * inner, inner));
            }
        }
    }

    public static void ScatterAdd<T>(ReadOnlySpan<T> dy, int outer, int n, int inner, ReadOnlySpan<int> indices, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = indices.Length;
        for (var o = 0; o < outer; o++)
        {
            for (var j = 0; j < m; j++)
            {
                var target = dx.Slice((o * n + indices[j]) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(target, dy.Slice((o * m + j) * inner, inner), target);
            }
        }
    }
}
