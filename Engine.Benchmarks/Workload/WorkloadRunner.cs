using System.Diagnostics;
using System.Globalization;
using Engine.Core;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// <c>workload &lt;name&gt; [--repeat N] [--warmup W] [--threads T] [--device cpu|opencl[:i]] [--eager] [--call-times]</c>: runs W untimed and N timed
/// units and prints one JSON line,
/// <c>{"workload":…,"median_ms":…,"min_ms":…,"max_ms":…,"repeats":…,"gflops":…,"alloc_bytes_per_unit":…}</c> (plus
/// <c>"images_per_s"</c> for IS-NLL), GFLOP/s from the spec's nominal FLOPs and the median; managed bytes
/// allocated per timed unit on all threads (the pool workers included), averaged over the timed units.
/// Usage errors print one line on stderr and return 2; a missing OpenCL device prints why and returns 3.
/// Training steps are recorded on their first run and replayed as a <see cref="CapturedStep"/> after it; <c>--eager</c>
/// runs every step through the ops and the tape instead. <c>--call-times</c> also times each kernel call of the captured
/// step over the timed units and prints them, slowest first, before the JSON line (<see cref="KernelCallProfile"/>); the
/// clock reads add a little to each step, and the profile's one allocation is counted in the timed units' bytes.
/// Every timed unit ends with <see cref="Engine.Kernels.IBackend.Synchronize"/>, so an asynchronous
/// backend is timed for the work done, not for queueing it.
/// </summary>
public static class WorkloadRunner
{
    public const int UsageError = 2;
    public const int DeviceUnavailable = 3;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args, out var name, out var repeat, out var warmup, out var threads, out var device, out var eager, out var callTimes, out var problem))
        {
            error.WriteLine($"workload: {problem}. Usage: workload <name> [--repeat N] [--warmup W] [--threads T] [--device cpu|opencl[:i]] [--eager] [--call-times]");
            return UsageError;
        }

        var entry = WorkloadCatalog.Find(name!);
        if (entry is null)
        {
            error.WriteLine($"workload: unknown workload '{name}'. Known: {string.Join(", ", WorkloadCatalog.All.Select(e => e.Name))}");
            return UsageError;
        }

        try
        {
            Device.Use(device, threads);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"workload: --device opencl:{device.Index}: {e.Message}");
            return DeviceUnavailable;
        }

        var workload = entry.Create();
        workload.Eager |= eager; // a workload that cannot be captured stays eager either way
        for (var i = 0; i < (warmup ?? entry.Warmup); i++)
        {
            workload.Run();
        }

        Device.Default.Synchronize();
        workload.ProfileCalls = callTimes;
        var times = new double[repeat ?? entry.Repeats];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < times.Length; i++)
        {
            var start = Stopwatch.GetTimestamp(); // not a Stopwatch object: the runner adds nothing to the allocation count
            workload.Run();
            Device.Default.Synchronize();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        if (callTimes)
        {
            output.WriteLine(workload.CallProfile?.Format() ?? $"# --call-times: {entry.Name} ran no captured step (not a training step, or --eager)");
        }

        output.WriteLine(Json(entry.Name, times, workload, times.Length == 0 ? 0 : allocated / times.Length));
        return 0;
    }

    private static string Json(string name, double[] times, Workload workload, long allocatedPerUnit)
    {
        Array.Sort(times);
        var n = times.Length;
        var median = n % 2 == 1 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"workload\":\"{name}\",\"median_ms\":{median:F3},\"min_ms\":{times[0]:F3},\"max_ms\":{times[^1]:F3},\"repeats\":{n},\"gflops\":{workload.NominalFlops / (median * 1e6):F2}");
        if (workload.Images > 0)
        {
            json += string.Create(CultureInfo.InvariantCulture, $",\"images_per_s\":{workload.Images / (median / 1000):F2}");
        }

        return json + string.Create(CultureInfo.InvariantCulture, $",\"alloc_bytes_per_unit\":{allocatedPerUnit}}}");
    }

    private static bool TryParse(string[] args, out string? name, out int? repeat, out int? warmup, out int threads, out (bool OpenCl, int Index) device, out bool eager, out bool callTimes, out string problem)
    {
        (name, repeat, warmup, threads, device, eager, callTimes, problem) = (null, null, null, 0, (false, 0), false, false, "");
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    problem = $"unexpected argument '{arg}' (workload '{name}' already given)";
                    return false;
                }

                name = arg;
                continue;
            }

            if (arg == "--eager")
            {
                eager = true;
                continue;
            }

            if (arg == "--call-times")
            {
                callTimes = true;
                continue;
            }

            if (arg == "--device")
            {
                if (i + 1 >= args.Length || Device.Parse(args[i + 1]) is not { } parsed)
                {
                    problem = "--device needs cpu, opencl or opencl:<index>";
                    return false;
                }

                device = parsed;
                i++;
                continue;
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                problem = $"{arg} needs a non-negative integer";
                return false;
            }

            i++;
            switch (arg)
            {
                case "--repeat" when value > 0:
                    repeat = value;
                    break;
                case "--warmup":
                    warmup = value;
                    break;
                case "--threads":
                    threads = value;
                    break;
                case "--repeat":
                    problem = "--repeat must be at least 1";
                    return false;
                default:
                    problem = $"unknown option '{arg}'";
                    return false;
            }
        }

        if (name is null)
        {
            problem = $"no workload named. Known: {string.Join(", ", WorkloadCatalog.All.Select(e => e.Name))}";
            return false;
        }

        return true;
    }
}
