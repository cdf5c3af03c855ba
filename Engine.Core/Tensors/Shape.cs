namespace Engine.Core;

/// <summary>Dimensions of a dense row-major tensor; immutable, compared by value, printed as [2, 3].</summary>
public readonly struct Shape : IEquatable<Shape>
{
    private readonly int[]? _dims;

    public Shape(params int[] dims)
    {
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape {Format(dims)} has a negative dimension.");
            }
        }

        _dims = (int[])dims.Clone();
    }

    public static Shape Scalar => new([]);

    public int Rank => Dims.Length;

    public ReadOnlySpan<int> Dims => _dims ?? [];

    public int this[int axis] => Dims[Normalize(axis)];

    public int Numel
    {
        get
        {
            long n = 1;
            foreach (var d in Dims)
            {
                n *= d;
            }

            return n <= int.MaxValue ? (int)n : throw new OverflowException($"Shape {this} has more than 2³¹ elements.");
        }
    }

    /// <summary>Turns a negative axis (−1 = last) into a positive one, or throws naming the shape.</summary>
    public int Normalize(int axis)
    {
        var a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank)
        {
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is out of range for shape {this}.");
        }

        return a;
    }

    /// <summary>Row-major element strides.</summary>
    public int[] Strides()
    {
        var strides = new int[Rank];
        var s = 1;
        for (var i = Rank - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Dims[i];
        }

        return strides;
    }

    /// <summary>Product of the dimensions before <paramref name="axis"/>, the axis itself, and after it.</summary>
    public (int Outer, int N, int Inner) Split(int axis)
    {
        axis = Normalize(axis);
        int outer = 1, inner = 1;
        for (var i = 0; i < axis; i++)
        {
            outer *= Dims[i];
        }

        for (var i = axis + 1; i < Rank; i++)
        {
            inner *= Dims[i];
        }

        return (outer, Dims[axis], inner);
    }

    public Shape With(int axis, int size)
    {
        var dims = Dims.ToArray();
        dims[Normalize(axis)] = size;
        return new Shape(dims);
    }

    public Shape Without(int axis)
    {
        var a = Normalize(axis);
        var dims = Dims.ToArray().ToList();
        dims.RemoveAt(a);
        return new Shape([.. dims]);
    }

    public int[] ToArray() => Dims.ToArray();

    public bool Equals(Shape other) => Dims.SequenceEqual(other.Dims);

    public override bool Equals(object? obj) => obj is Shape s && Equals(s);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in Dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    public static bool operator ==(Shape a, Shape b) => a.Equals(b);

    public static bool operator !=(Shape a, Shape b) => !a.Equals(b);

    public static implicit operator Shape(int[] dims) => new(dims);

    public override string ToString() => Format(Dims);

    private static string Format(ReadOnlySpan<int> dims) => "[" + string.Join(", ", dims.ToArray()) + "]";
}
