using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>One kernel object of a built <see cref="ClProgram"/>, with the element type it was built for.</summary>
internal sealed class ClKernel(ClKernelHandle handle, DType dtype, bool fp64, string name)
{
    public ClKernelHandle Handle { get; } = handle;

    public DType DType { get; } = dtype;

    /// <summary>Whether rng_t (and acc_t) are double in this program.</summary>
    public bool Fp64 { get; } = fp64;

    public string Name { get; } = name;
}
