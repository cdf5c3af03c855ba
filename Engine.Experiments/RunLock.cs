using System.Diagnostics;
using System.Globalization;

namespace Engine.Experiments;

/// <summary>
/// <c>&lt;run folder&gt;/.lock</c>: holds the owner's PID, host and process start time while a run
/// writes the folder, so a second run into the same folder is refused instead of interleaving
/// checkpoints. A lock whose owner is gone (killed, crashed, another boot) is stale and is taken
/// over with a warning; the start time guards against a recycled PID.
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly string _token;
    private bool _released;

    private RunLock(string path, string token)
    {
        Path = path;
        _token = token;
    }

    public string Path { get; }

    /// <summary>Takes the folder's lock or throws <see cref="ExperimentException"/> (exit code <see cref="ExitCodes.Locked"/>) naming the live owner.</summary>
    public static RunLock Acquire(string folder, ProgressLog log)
    {
        Directory.CreateDirectory(folder);
        var path = System.IO.Path.Combine(folder, FileName);
        var token = Describe(Environment.ProcessId, Environment.MachineName, OwnStartTicks());
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(token);
                }

                return new RunLock(path, token);
            }
            catch (IOException) when (File.Exists(path))
            {
                var owner = ReadOwner(path);
                if (owner is not null && IsAlive(owner.Value))
                {
                    throw new ExperimentException(
                        $"{folder} is in use by another run (PID {owner.Value.Pid} on {owner.Value.Host}, lock {path}); wait for it to finish, choose another --out, or delete the lock if that run is gone.",
                        ExitCodes.Locked);
                }

                log.Line($"warning: taking over the stale lock {path} ({(owner is null ? "unreadable" : $"PID {owner.Value.Pid} on {owner.Value.Host} is not running")})");
                TryDelete(path);
            }
        }

        throw new ExperimentException($"{folder}: could not take the lock {path}; another run took it first.", ExitCodes.Locked);
    }

    /// <summary>Deletes the lock file if it is still ours.</summary>
    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        try
        {
            if (File.Exists(Path) && File.ReadAllText(Path) == _token)
            {
                File.Delete(Path);
            }
        }
        catch (IOException)
        {
            // the next run treats a lock with a dead owner as stale
        }
    }

    internal static string Describe(int pid, string host, long startTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"pid {pid}\nhost {host}\nstarted {startTicks}\n");

    private static (int Pid, string Host, long StartTicks)? ReadOwner(string path)
    {
        try
        {
            var fields = File.ReadAllLines(path).Select(l => l.Split(' ', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
            return int.TryParse(fields.GetValueOrDefault("pid"), CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(fields.GetValueOrDefault("started"), CultureInfo.InvariantCulture, out var started)
                && fields.TryGetValue("host", out var host)
                ? (pid, host, started)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The owner runs on this host with the same PID and the same process start time (another host's lock counts as alive).</summary>
    private static bool IsAlive((int Pid, string Host, long StartTicks) owner)
    {
        if (owner.Host != Environment.MachineName)
        {
            return true; // a shared folder: we cannot see that machine's processes, so do not steal
        }

        try
        {
            using var process = Process.GetProcessById(owner.Pid);
            return !process.HasExited && !IsZombie(owner.Pid) && StartTicks(process) == owner.StartTicks;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false; // no such process
        }
    }

    /// <summary>
    /// A killed process nobody has reaped yet still "exists" (Linux state Z) though it will never
    /// write again; its lock is stale. False where /proc is absent.
    /// </summary>
    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 1)..].TrimStart();
            return state.StartsWith('Z') || state.StartsWith('X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long OwnStartTicks()
    {
        using var self = Process.GetCurrentProcess();
        return StartTicks(self);
    }

    /// <summary>Start time rounded to 10 ms: what /proc reports is coarser than DateTime ticks.</summary>
    private static long StartTicks(Process process) => process.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerMillisecond / 10;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // the retry reports it
        }
    }
}
