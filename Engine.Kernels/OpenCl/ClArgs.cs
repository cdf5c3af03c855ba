using System.Runtime.CompilerServices;
using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>
/// Sets a kernel's arguments left to right: <c>new ClArgs(k).Int(op).View(x).View(y).Int(n)</c>.
/// A view is two arguments, the cl_mem and the element offset, matching the kernels' (x, xo) pairs.
/// Not thread-safe: the backend holds its lock from the first argument to the enqueue.
/// </summary>
internal readonly unsafe struct ClArgs(ClKernel kernel, uint index = 0)
{
    public ClKernel Kernel => kernel;

    public ClArgs View(BufferView view) => Mem((ClBuffer)view.Buffer).Int(view.Offset);

    public ClArgs Mem(ClBuffer buffer) => Mem(buffer.Memory);

    public ClArgs Mem(ClMemHandle memory)
    {
        var handle = memory.DangerousGetHandle();
        return Set(&handle, sizeof(nint));
    }

    public ClArgs Int(int value) => Set(&value, sizeof(int));

    public ClArgs Flag(bool value) => Int(value ? 1 : 0);

    public ClArgs ULong(ulong value) => Set(&value, sizeof(ulong));

    /// <summary>A `real` argument: float in the float32 program, double in the float64 one.</summary>
    public ClArgs Real(double value)
    {
        if (kernel.DType == DType.Float32)
        {
            var single = (float)value;
            return Set(&single, sizeof(float));
        }

        return Set(&value, sizeof(double));
    }

    /// <summary>An `rng_t` argument: double when the device has fp64, float otherwise.</summary>
    public ClArgs RngReal(double value)
    {
        if (!kernel.Fp64)
        {
            var single = (float)value;
            return Set(&single, sizeof(float));
        }

        return Set(&value, sizeof(double));
    }

    /// <summary>An OpenCL int8 vector holding up to 8 values (the rest 0).</summary>
    public ClArgs Int8(ReadOnlySpan<int> values)
    {
        var vector = default(Int8Vector);
        values.CopyTo(vector);
        return Set(&vector, sizeof(Int8Vector));
    }

    private ClArgs Set(void* value, int size)
    {
        var status = Cl.SetKernelArg(kernel.Handle, index, (nuint)size, value);
        if (status != 0)
        {
            throw new OpenClException("clSetKernelArg", status, $"{kernel.Name} argument {index}");
        }

        return new ClArgs(kernel, index + 1);
    }

    [InlineArray(8)]
    private struct Int8Vector
    {
        private int _element;
    }
}
