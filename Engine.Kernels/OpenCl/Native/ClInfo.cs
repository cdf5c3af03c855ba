using System.Text;

namespace Engine.Kernels.OpenCl.Native;

/// <summary>Typed reads of clGetPlatformInfo / clGetDeviceInfo values.</summary>
internal static unsafe class ClInfo
{
    public static string PlatformString(nint platform, uint param)
    {
        ClErrors.Check(Cl.GetPlatformInfo(platform, param, 0, null, out var size), "clGetPlatformInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            ClErrors.Check(Cl.GetPlatformInfo(platform, param, size, p, out _), "clGetPlatformInfo");
        }

        return Decode(bytes);
    }

    public static string DeviceString(nint device, uint param)
    {
        ClErrors.Check(Cl.GetDeviceInfo(device, param, 0, null, out var size), "clGetDeviceInfo");
        var bytes = new byte[(int)size];
        fixed (byte* p = bytes)
        {
            ClErrors.Check(Cl.GetDeviceInfo(device, param, size, p, out _), "clGetDeviceInfo");
        }

        return Decode(bytes);
    }

    /// <summary>A cl_uint, cl_ulong or size_t device property, widened to ulong.</summary>
    public static ulong DeviceNumber<T>(nint device, uint param) where T : unmanaged
    {
        T value = default;
        ClErrors.Check(Cl.GetDeviceInfo(device, param, (nuint)sizeof(T), &value, out _), "clGetDeviceInfo");
        return value switch
        {
            uint u => u,
            ulong l => l,
            nuint n => n,
            _ => throw new NotSupportedException(typeof(T).Name),
        };
    }

    private static string Decode(byte[] bytes)
    {
        var length = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, length < 0 ? bytes.Length : length).Trim();
    }
}
