namespace Engine.Kernels.OpenCl.Native;

/// <summary>An OpenCL call returned an error status; the message names the call and the status (CL_INVALID_VALUE …).</summary>
public sealed class OpenClException : Exception
{
    public OpenClException(string call, int status, string? detail = null)
        : base($"{call} failed with {ClErrors.Name(status)} ({status}){(detail is null ? "" : ": " + detail)}")
    {
        Call = call;
        Status = status;
    }

    /// <summary>The OpenCL function that failed, e.g. "clBuildProgram".</summary>
    public string Call { get; }

    /// <summary>The raw cl_int status.</summary>
    public int Status { get; }

    public string StatusName => ClErrors.Name(Status);
}
