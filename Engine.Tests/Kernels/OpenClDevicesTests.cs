using Engine.Core;
using Engine.Kernels.OpenCl;
using Engine.Kernels.OpenCl.Native;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

public class OpenClDevicesTests
{
    [TestCase(0, "CL_SUCCESS")]
    [TestCase(-5, "CL_OUT_OF_RESOURCES")]
    [TestCase(-11, "CL_BUILD_PROGRAM_FAILURE")]
    [TestCase(-30, "CL_INVALID_VALUE")]
    [TestCase(-54, "CL_INVALID_WORK_GROUP_SIZE")]
    [TestCase(-1001, "CL_PLATFORM_NOT_FOUND_KHR")]
    [TestCase(-9999, "CL_UNKNOWN_ERROR")]
    public void ErrorNames_FollowClH(int status, string name) => Assert.That(ClErrors.Name(status), Is.EqualTo(name));

    [Test]
    public void OpenClException_NamesTheCallAndTheStatus()
    {
        var e = Assert.Throws<OpenClException>(() => ClErrors.Check(-38, "clSetKernelArg"))!;
        Assert.That(e.Message, Does.StartWith("clSetKernelArg failed with CL_INVALID_MEM_OBJECT (-38)"));
        Assert.That(e.StatusName, Is.EqualTo("CL_INVALID_MEM_OBJECT"));
    }

    [Test]
    public void Enumerate_NeverThrows_AndExplainsAnEmptyList()
    {
        var devices = OpenClDevices.Enumerate(out var reason);
        if (devices.Count == 0)
        {
            Assert.That(reason, Is.Not.Empty);
            Assert.Ignore($"no OpenCL device: {reason}");
        }

        foreach (var device in devices)
        {
            TestContext.Out.WriteLine(device);
            Assert.That(device.Name, Is.Not.Empty);
            Assert.That(device.ComputeUnits, Is.GreaterThan(0));
            Assert.That(device.GlobalMemoryBytes, Is.GreaterThan(0));
        }

        Assert.That(devices.Select(d => d.Index), Is.EqualTo(Enumerable.Range(0, devices.Count)));
    }

    [Test]
    public void UseOpenCl_WithAMissingIndex_ThrowsAndKeepsTheDefault()
    {
        var before = Device.Default;
        var e = Assert.Throws<InvalidOperationException>(() => Device.UseOpenCl(1000))!;
        Assert.That(e.Message, Does.StartWith("No OpenCL device 1000:"));
        Assert.That(Device.Default, Is.SameAs(before));
    }

    [Test]
    public void TryCreate_SameIndex_ReturnsTheSameCompiledBackend()
    {
        if (OpenClDevices.Enumerate(out var reason).Count == 0)
        {
            Assert.Ignore($"no OpenCL device: {reason}");
        }

        Assert.That(OpenClBackend.TryCreate(0, out var first, out reason), Is.True, reason);
        Assert.That(OpenClBackend.TryCreate(0, out var second, out _), Is.True);
        Assert.That(second, Is.SameAs(first));
        Assert.That(first!.Name, Is.EqualTo("opencl:0"));
    }
}
