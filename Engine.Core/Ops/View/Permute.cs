namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y.shape[i] = x.shape[perm[i]] (a copy). VJP: dx = dy permuted by the inverse permutation.</summary>
    public static Tensor Permute(Tensor x, params int[] perm)
    {
        if (perm.Length != x.Rank || perm.Select(x.Shape.Normalize).Distinct().Count() != x.Rank)
        {
            throw new ArgumentException($"permute: [{string.Join(", ", perm)}] is not a permutation of the axes of {x.Shape}.");
        }

        var axes = perm.Select(x.Shape.Normalize).ToArray();
        var y = Tensor.Empty(new Shape(axes.Select(a => x.Shape[a]).ToArray()), x.DType, x.Backend);
        x.Backend.Permute(x.View, x.Shape.Dims, axes, y.View);
        Tape.Record("permute", y, [x], dy =>
        {
            var inverse = new int[axes.Length];
            for (var i = 0; i < axes.Length; i++)
            {
                inverse[axes[i]] = i;
            }

            x.AccumulateGrad(Permute(dy, inverse));
        });
        return y;
    }

    /// <summary>Swaps two axes (default: the last two, i.e. the matrix transpose).</summary>
    public static Tensor Transpose(Tensor x, int axis0 = -2, int axis1 = -1)
    {
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        var a = x.Shape.Normalize(axis0);
        var b = x.Shape.Normalize(axis1);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }
}
