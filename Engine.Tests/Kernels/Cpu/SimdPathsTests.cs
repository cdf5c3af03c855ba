using System.Runtime.Intrinsics;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// Proves that scripts/test-simd-paths.sh really ran the kernel tests on the narrower paths: the
/// runtime switches it sets must turn the matching vector widths off in this process.
/// </summary>
public class SimdPathsTests
{
    [Test]
    public void RuntimeSwitches_DisableTheirVectorWidths()
    {
        var paths = $"Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, Vector128 {Vector128.IsHardwareAccelerated}";
        TestContext.Out.WriteLine($"SIMD paths in this run: {paths}");
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0")
        {
            Assert.That(Vector512.IsHardwareAccelerated, Is.False, paths);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") == "0")
        {
            Assert.That(Vector256.IsHardwareAccelerated || Vector128.IsHardwareAccelerated, Is.False, paths);
        }
    }
}
