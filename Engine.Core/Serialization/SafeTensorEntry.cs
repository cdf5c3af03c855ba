using Engine.Kernels;

namespace Engine.Core.Serialization;

/// <summary>One tensor read from a safetensors file: its dtype, shape and values (as doubles, exact for F32/F64).</summary>
public sealed record SafeTensorEntry(string Name, DType DType, Shape Shape, double[] Values);
