namespace Engine.Kernels;

/// <summary>Element type of a device buffer: float32 trains, float64 checks gradients.</summary>
public enum DType
{
    Float32,
    Float64,
}

public static class DTypeExtensions
{
    public static int SizeInBytes(this DType dtype) => dtype == DType.Float32 ? 4 : 8;

    public static string Name(this DType dtype) => dtype == DType.Float32 ? "float32" : "float64";

    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(double) ? DType.Float64
        : throw new NotSupportedException($"Element type {typeof(T).Name} is not supported; use float or double.");
}
