using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Engine.Core;

namespace Engine.Experiments.Reporting;

/// <summary>The engine version, the git commit and the machine a run happened on, for results.json.</summary>
public sealed record EnvironmentInfo(
    string EngineVersion,
    string GitCommit,
    int Cores,
    int Threads,
    string Backend,
    string Cpu,
    string Simd,
    string Os,
    string Architecture,
    string Dotnet)
{
    public static EnvironmentInfo Capture() => new(
        typeof(Tensor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ReadGitCommit(),
        Environment.ProcessorCount,
        Device.Default.Parallelism,
        Device.Default.Name,
        CpuModel(),
        Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : Vector128.IsHardwareAccelerated ? "sse/neon" : "scalar",
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription);

    /// <summary>`git rev-parse HEAD` in the repository root (with "-dirty" if tracked files changed), or "unknown".</summary>
    private static string ReadGitCommit()
    {
        var root = RepositoryRoot.FindDefault();
        if (root is null)
        {
            return "unknown";
        }

        var head = Git(root, "rev-parse HEAD");
        if (head is null || head.Length < 7)
        {
            return "unknown";
        }

        var status = Git(root, "status --porcelain --untracked-files=no");
        return string.IsNullOrEmpty(status) ? head : head + "-dirty";
    }

    private static string? Git(string root, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("git", $"-C \"{root}\" {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            return process.WaitForExit(10_000) && process.ExitCode == 0 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null; // no git on this machine
        }
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        try
        {
            var line = File.Exists(cpuInfo) ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
            return line?.Split(':', 2)[1].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
