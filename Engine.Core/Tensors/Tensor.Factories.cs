using Engine.Kernels;

namespace Engine.Core;

public sealed partial class Tensor
{
    public static Tensor Zeros(Shape shape, DType dtype = DType.Float32, IBackend? backend = null) => Full(shape, 0, dtype, backend);

    public static Tensor Ones(Shape shape, DType dtype = DType.Float32, IBackend? backend = null) => Full(shape, 1, dtype, backend);

    public static Tensor Full(Shape shape, double value, DType dtype = DType.Float32, IBackend? backend = null)
    {
        var t = Empty(shape, dtype, backend ?? Device.Default);
        t.Fill(value);
        return t;
    }

    public static Tensor Scalar(double value, DType dtype = DType.Float32, IBackend? backend = null) => Full(Shape.Scalar, value, dtype, backend);

    /// <summary>A tensor holding a copy of <paramref name="data"/> (length must equal the shape's element count).</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromSpan<float>(data, shape, Device.Default);

    /// <summary>A float64 tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromSpan<double>(data, shape, Device.Default);

    public static Tensor FromSpan<T>(ReadOnlySpan<T> data, Shape shape, IBackend? backend = null) where T : unmanaged
    {
        if (data.Length != shape.Numel)
        {
            throw new ArgumentException($"FromArray: {data.Length} values cannot fill shape {shape} ({shape.Numel} elements).");
        }

        var t = Empty(shape, DTypeExtensions.Of<T>(), backend ?? Device.Default);
        t.Backend.Upload(data, t.View);
        return t;
    }

    /// <summary>Rows [labels.Length, classes] with a 1 at each label's column, 0 elsewhere; every label must lie in [0, classes).</summary>
    public static Tensor OneHot(ReadOnlySpan<int> labels, int classes, DType dtype = DType.Float32, IBackend? backend = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var values = new double[labels.Length * classes];
        for (var r = 0; r < labels.Length; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"OneHot: label {labels[r]} at row {r} is outside [0, {classes}).");
            }

            values[r * classes + labels[r]] = 1;
        }

        var shape = new Shape(labels.Length, classes);
        return dtype == DType.Float64
            ? FromSpan<double>(values, shape, backend ?? Device.Default)
            : FromSpan<float>(Array.ConvertAll(values, v => (float)v), shape, backend ?? Device.Default);
    }

    /// <summary>Allocates a tensor that no scope will release (for parameters and long-lived state).</summary>
    public static Tensor PersistentZeros(Shape shape, DType dtype = DType.Float32, IBackend? backend = null)
    {
        var t = Persistent(shape, dtype, backend ?? Device.Default);
        t.Fill(0);
        return t;
    }

    /// <summary>y[i] = value, in place (not recorded).</summary>
    public void Fill(double value) => Backend.Fill(View, value);

    /// <summary>Copies <paramref name="source"/>'s values into this tensor in place (not recorded).</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Shape != Shape || source.DType != DType)
        {
            throw new ArgumentException($"CopyFrom: cannot copy {source.Describe()} into {Describe()}.");
        }

        Backend.Copy(source.View, View);
    }

    /// <summary>Copies host data into this tensor in place (not recorded).</summary>
    public void CopyFrom<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        if (data.Length != Numel || DTypeExtensions.Of<T>() != DType)
        {
            throw new ArgumentException($"CopyFrom: {data.Length} {typeof(T).Name} values do not fit {Describe()}.");
        }

        Backend.Upload(data, View);
    }

    public float[] ToFloatArray()
    {
        if (DType == DType.Float32)
        {
            var result = new float[Numel];
            Backend.Download<float>(View, result);
            return result;
        }

        return Array.ConvertAll(ToDoubleArray(), v => (float)v);
    }

    public double[] ToDoubleArray()
    {
        var result = new double[Numel];
        if (DType == DType.Float64)
        {
            Backend.Download<double>(View, result);
            return result;
        }

        var floats = new float[Numel];
        Backend.Download<float>(View, floats);
        for (var i = 0; i < floats.Length; i++)
        {
            result[i] = floats[i];
        }

        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        if (Numel != 1)
        {
            throw new InvalidOperationException($"Item: {Describe()} has {Numel} elements, not one.");
        }

        return ToDoubleArray()[0];
    }

    /// <summary>A copy in another element type (not recorded: use for data, not parameters in a graph).</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType)
        {
            return this;
        }

        var values = ToDoubleArray();
        return dtype == DType.Float64 ? FromSpan<double>(values, Shape, Backend) : FromSpan<float>(Array.ConvertAll(values, v => (float)v), Shape, Backend);
    }

    /// <summary>The same values, cut off from the tape (gradients do not flow through it).</summary>
    public Tensor Detach() => new(Shape, _buffer, _offset, this) { Name = Name };
}
