using System.Text;
using Engine.Kernels.OpenCl.Native;

namespace Engine.Kernels.OpenCl;

/// <summary>
/// The kernel sources (embedded OpenCl/Kernels/*.cl) built for one device and one element type, and
/// one kernel object per <see cref="ClKernelId"/>, created once. Built with -DREAL=float or
/// -DREAL=double so one source serves both types.
/// </summary>
internal sealed class ClProgram
{
    /// <summary>Family files in build order; common.cl defines what the others use.</summary>
    private static readonly string[] Files = ["common", "elementwise", "reduce", "layout", "gemm", "conv", "random", "fused", "optim"];

    private readonly ClProgramHandle _program;

    private ClProgram(ClProgramHandle program, ClKernel[] kernels)
    {
        _program = program;
        Kernels = kernels;
    }

    public ClKernel[] Kernels { get; }

    public ClKernel this[ClKernelId id] => Kernels[(int)id];

    public static unsafe ClProgram Build(ClContextHandle context, nint device, DType dtype, bool fp64, bool correctlyRoundedDivideSqrt)
    {
        var sources = Files.Select(f => Encoding.UTF8.GetBytes(Source(f))).ToArray();
        var handles = sources.Select(s => System.Runtime.InteropServices.GCHandle.Alloc(s, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        ClProgramHandle program;
        try
        {
            var pointers = stackalloc byte*[sources.Length];
            var lengths = stackalloc nuint[sources.Length];
            for (var i = 0; i < sources.Length; i++)
            {
                pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                lengths[i] = (nuint)sources[i].Length;
            }

            var raw = Cl.CreateProgramWithSource(context, (uint)sources.Length, pointers, lengths, out var status);
            ClErrors.Check(status, "clCreateProgramWithSource");
            program = new ClProgramHandle(raw);
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }

        var options = $"-DREAL={(dtype == DType.Float32 ? "float" : "double")} -DREAL_BYTES={dtype.SizeInBytes()}"
            + (fp64 ? " -DHAS_FP64" : "")
            + (correctlyRoundedDivideSqrt ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
        var optionBytes = Encoding.ASCII.GetBytes(options + "\0");
        int built;
        fixed (byte* o = optionBytes)
        {
            built = Cl.BuildProgram(program, 1, &device, o, 0, 0);
        }

        if (built != 0)
        {
            throw new OpenClException("clBuildProgram", built, $"{dtype.Name()} program ({options}):\n{BuildLog(program, device)}");
        }

        var kernels = Enum.GetValues<ClKernelId>().Select(id =>
        {
            var name = SnakeCase(id.ToString());
            var raw = Cl.CreateKernel(program, name, out var status);
            if (status != 0)
            {
                throw new OpenClException("clCreateKernel", status, name);
            }

            return new ClKernel(new ClKernelHandle(raw), dtype, fp64, name);
        }).ToArray();
        return new ClProgram(program, kernels);
    }

    /// <summary>The text of one embedded kernel file.</summary>
    public static string Source(string family)
    {
        var name = $"Engine.Kernels.OpenCl.Kernels.{family}.cl";
        using var stream = typeof(ClProgram).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded kernel source {name} is missing from Engine.Kernels.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static unsafe string BuildLog(ClProgramHandle program, nint device)
    {
        if (Cl.GetProgramBuildInfo(program, device, ClConstants.ProgramBuildLog, 0, null, out var size) != 0 || size == 0)
        {
            return "(no build log)";
        }

        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            Cl.GetProgramBuildInfo(program, device, ClConstants.ProgramBuildLog, size, p, out _);
        }

        return Encoding.UTF8.GetString(bytes).TrimEnd('\0', '\n', ' ');
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    public override string ToString() => $"OpenCL program ({Kernels.Length} kernels, {_program})";
}
