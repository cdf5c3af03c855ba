using System.Reflection;
using System.Runtime.InteropServices;

namespace Engine.Kernels.OpenCl.Native;

/// <summary>
/// The slice of the OpenCL 1.2/2.0 C API the backend uses, bound by hand to the ICD loader
/// (libOpenCL.so.1 on Linux, OpenCL.dll on Windows, the OpenCL framework on macOS). Handles of
/// long-lived objects travel as <see cref="ClHandle"/>s; every call returns a cl_int status
/// that <see cref="ClCheck"/> turns into an <see cref="OpenClException"/>.
/// </summary>
internal static unsafe partial class Cl
{
    private const string Library = "OpenCL";

    static Cl() => NativeLibrary.SetDllImportResolver(typeof(Cl).Assembly, Resolve);

    /// <summary>Makes sure the resolver is installed before the first P/Invoke (touching the class runs the static constructor).</summary>
    public static void EnsureResolver()
    {
    }

    [LibraryImport(Library, EntryPoint = "clGetPlatformIDs")]
    public static partial int GetPlatformIDs(uint numEntries, nint* platforms, out uint numPlatforms);

    [LibraryImport(Library, EntryPoint = "clGetPlatformInfo")]
    public static partial int GetPlatformInfo(nint platform, uint paramName, nuint valueSize, void* value, out nuint valueSizeRet);

    [LibraryImport(Library, EntryPoint = "clGetDeviceIDs")]
    public static partial int GetDeviceIDs(nint platform, ulong deviceType, uint numEntries, nint* devices, out uint numDevices);

    [LibraryImport(Library, EntryPoint = "clGetDeviceInfo")]
    public static partial int GetDeviceInfo(nint device, uint paramName, nuint valueSize, void* value, out nuint valueSizeRet);

    [LibraryImport(Library, EntryPoint = "clCreateContext")]
    public static partial nint CreateContext(nint* properties, uint numDevices, nint* devices, nint notify, nint userData, out int errcode);

    [LibraryImport(Library, EntryPoint = "clCreateCommandQueueWithProperties")]
    public static partial nint CreateCommandQueueWithProperties(ClContextHandle context, nint device, ulong* properties, out int errcode);

    [LibraryImport(Library, EntryPoint = "clCreateCommandQueue")]
    public static partial nint CreateCommandQueue(ClContextHandle context, nint device, ulong properties, out int errcode);

    [LibraryImport(Library, EntryPoint = "clCreateBuffer")]
    public static partial nint CreateBuffer(ClContextHandle context, ulong flags, nuint size, void* hostPtr, out int errcode);

    [LibraryImport(Library, EntryPoint = "clEnqueueWriteBuffer")]
    public static partial int EnqueueWriteBuffer(ClQueueHandle queue, ClMemHandle buffer, uint blocking, nuint offset, nuint size, void* ptr, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library, EntryPoint = "clEnqueueReadBuffer")]
    public static partial int EnqueueReadBuffer(ClQueueHandle queue, ClMemHandle buffer, uint blocking, nuint offset, nuint size, void* ptr, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library, EntryPoint = "clEnqueueCopyBuffer")]
    public static partial int EnqueueCopyBuffer(ClQueueHandle queue, ClMemHandle source, ClMemHandle destination, nuint sourceOffset, nuint destinationOffset, nuint size, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library, EntryPoint = "clEnqueueFillBuffer")]
    public static partial int EnqueueFillBuffer(ClQueueHandle queue, ClMemHandle buffer, void* pattern, nuint patternSize, nuint offset, nuint size, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library, EntryPoint = "clCreateProgramWithSource")]
    public static partial nint CreateProgramWithSource(ClContextHandle context, uint count, byte** strings, nuint* lengths, out int errcode);

    [LibraryImport(Library, EntryPoint = "clBuildProgram")]
    public static partial int BuildProgram(ClProgramHandle program, uint numDevices, nint* devices, byte* options, nint notify, nint userData);

    [LibraryImport(Library, EntryPoint = "clGetProgramBuildInfo")]
    public static partial int GetProgramBuildInfo(ClProgramHandle program, nint device, uint paramName, nuint valueSize, void* value, out nuint valueSizeRet);

    [LibraryImport(Library, EntryPoint = "clCreateKernel", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint CreateKernel(ClProgramHandle program, string name, out int errcode);

    [LibraryImport(Library, EntryPoint = "clSetKernelArg")]
    public static partial int SetKernelArg(ClKernelHandle kernel, uint index, nuint size, void* value);

    [LibraryImport(Library, EntryPoint = "clEnqueueNDRangeKernel")]
    public static partial int EnqueueNDRangeKernel(ClQueueHandle queue, ClKernelHandle kernel, uint workDim, nuint* globalOffset, nuint* globalSize, nuint* localSize, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library, EntryPoint = "clFinish")]
    public static partial int Finish(ClQueueHandle queue);

    [LibraryImport(Library, EntryPoint = "clEnqueueMarkerWithWaitList")]
    public static partial int EnqueueMarkerWithWaitList(ClQueueHandle queue, uint numEvents, nint* waitList, nint* evt);

    [LibraryImport(Library, EntryPoint = "clWaitForEvents")]
    public static partial int WaitForEvents(uint numEvents, nint* events);

    [LibraryImport(Library, EntryPoint = "clReleaseEvent")]
    public static partial int ReleaseEvent(nint evt);

    [LibraryImport(Library, EntryPoint = "clReleaseContext")]
    public static partial int ReleaseContext(nint context);

    [LibraryImport(Library, EntryPoint = "clReleaseCommandQueue")]
    public static partial int ReleaseCommandQueue(nint queue);

    [LibraryImport(Library, EntryPoint = "clReleaseProgram")]
    public static partial int ReleaseProgram(nint program);

    [LibraryImport(Library, EntryPoint = "clReleaseKernel")]
    public static partial int ReleaseKernel(nint kernel);

    [LibraryImport(Library, EntryPoint = "clReleaseMemObject")]
    public static partial int ReleaseMemObject(nint memObject);

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0;
        }

        string[] candidates = OperatingSystem.IsWindows() ? ["OpenCL.dll"]
            : OperatingSystem.IsMacOS() ? ["/System/Library/Frameworks/OpenCL.framework/OpenCL"]
            : ["libOpenCL.so.1", "libOpenCL.so"];
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return 0; // the runtime then throws DllNotFoundException, which OpenClDevices reports
    }
}
