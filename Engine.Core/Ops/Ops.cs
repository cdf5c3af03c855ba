using Engine.Kernels;

namespace Engine.Core;

/// <summary>
/// Every differentiable operation, one per file under Ops/&lt;Family&gt;/ (this is a partial class so
/// all ops are reached as <c>Ops.Name</c>). An op checks its arguments, computes its output with
/// backend kernels, and records its VJP right beside the forward code; the VJP runs with recording
/// paused, so it may itself use ops. Shared helpers live here.
/// </summary>
public static partial class Ops
{
    /// <summary>Throws unless every tensor has the dtype and backend of the first, naming the op.</summary>
    internal static void CheckCompatible(string op, params Tensor[] tensors)
    {
        var first = tensors[0];
        foreach (var t in tensors)
        {
            if (t.DType != first.DType)
            {
                throw new ArgumentException($"{op}: dtypes differ ({first.Describe()} vs {t.Describe()}).");
            }

            if (!ReferenceEquals(t.Backend, first.Backend))
            {
                throw new ArgumentException($"{op}: tensors live on different backends ({first.Backend.Name} vs {t.Backend.Name}).");
            }
        }
    }

    /// <summary>Throws unless <paramref name="t"/> has the given rank.</summary>
    internal static void CheckRank(string op, Tensor t, int rank, string what)
    {
        if (t.Rank != rank)
        {
            throw new ArgumentException($"{op}: {what} must have rank {rank}, got shape {t.Shape}.");
        }
    }

    /// <summary>Adds <paramref name="g"/> into <paramref name="input"/>'s gradient, first undoing broadcasting.</summary>
    internal static void Accumulate(Tensor input, Tensor g)
    {
        if (input.RequiresGrad)
        {
            input.AccumulateGrad(SumToShape(g, input.Shape));
        }
    }

    /// <summary>
    /// Sums <paramref name="g"/> over the axes that broadcasting expanded so it has shape
    /// <paramref name="target"/>: the one place broadcasting is undone.
    /// </summary>
    internal static Tensor SumToShape(Tensor g, Shape target)
    {
        if (g.Shape == target)
        {
            return g;
        }

        var lead = g.Rank - target.Rank;
        var result = g;
        if (lead > 0)
        {
            var leading = 1;
            for (var i = 0; i < lead; i++)
            {
                leading *= g.Shape[i];
            }

            result = Sum(Reshape(result, [leading, g.Numel / Math.Max(1, leading)]), 0);
            result = Reshape(result, target.Rank == 0 ? [] : g.Shape.Dims[lead..].ToArray());
        }

        for (var axis = 0; axis < target.Rank; axis++)
        {
            if (target[axis] == 1 && result.Shape[axis] != 1)
            {
                result = Sum(result, axis, keepDims: true);
            }
        }

        return result.Shape == target ? result : throw new InvalidOperationException($"SumToShape: cannot reduce {g.Shape} to {target}.");
    }

    /// <summary>The broadcast shape of a and b (NumPy rules), or an error naming the op and both shapes.</summary>
    internal static Shape BroadcastShape(string op, Shape a, Shape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Rank) >= 0 ? a[i - (rank - a.Rank)] : 1;
            var db = i - (rank - b.Rank) >= 0 ? b[i - (rank - b.Rank)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException($"{op}: shapes {a} and {b} cannot be broadcast together (axis {i}: {da} vs {db}).");
            }

            dims[i] = da == 1 ? db : da;
        }

        return new Shape(dims);
    }

    /// <summary>Element strides for reading <paramref name="input"/> as if it had shape <paramref name="output"/> (0 on broadcast axes).</summary>
    internal static int[] BroadcastStrides(Shape input, Shape output)
    {
        var strides = new int[output.Rank];
        var own = input.Strides();
        var lead = output.Rank - input.Rank;
        for (var i = 0; i < input.Rank; i++)
        {
            strides[lead + i] = input[i] == 1 && output[lead + i] != 1 ? 0 : own[i];
        }

        return strides;
    }
}
