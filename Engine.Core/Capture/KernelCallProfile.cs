using System.Globalization;
using System.Text;

namespace Engine.Core;

/// <summary>
/// The wall time of each kernel call of a <see cref="CapturedStep"/>, summed over the replays it is passed to
/// (<see cref="CapturedStep.Replay(KernelCallProfile)"/>): where a step spends its time, call by call, with each kernel's
/// operands as the step leaves them. Why: a kernel timed alone, in a micro-benchmark, finds its data in cache, and the
/// conv VAE's largest kernels ran 10–50 % slower inside the step than alone; only timing them in place showed which.
/// A profiled replay reads the clock twice per call (tens of nanoseconds each).
/// </summary>
public sealed class KernelCallProfile
{
    private readonly double[] _milliseconds;

    internal KernelCallProfile(IReadOnlyList<string> calls)
    {
        Calls = calls;
        _milliseconds = new double[calls.Count];
    }

    /// <summary>Each call's kernel and the sizes it was recorded with, in replay order.</summary>
    public IReadOnlyList<string> Calls { get; }

    /// <summary>Replays timed so far.</summary>
    public int Replays { get; private set; }

    /// <summary>Call <paramref name="call"/>'s mean wall time over the timed replays, in milliseconds (0 before any).</summary>
    public double MeanMilliseconds(int call) => Replays == 0 ? 0 : _milliseconds[call] / Replays;

    /// <summary>
    /// One line per call, slowest first, the first <paramref name="top"/> of them: its index in replay order, its mean
    /// milliseconds, its share of all calls' time, its kernel and sizes; then the total.
    /// </summary>
    public string Format(int top = int.MaxValue)
    {
        var total = 0.0;
        for (var i = 0; i < Calls.Count; i++)
        {
            total += MeanMilliseconds(i);
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# kernel calls of the captured step, mean over {Replays} replays (index, ms, share, kernel)");
        foreach (var i in Enumerable.Range(0, Calls.Count).OrderByDescending(MeanMilliseconds).Take(top))
        {
            var share = total > 0 ? MeanMilliseconds(i) / total : 0;
            text.AppendLine(CultureInfo.InvariantCulture, $"{i,5} {MeanMilliseconds(i),9:F4} {share,6:P1}  {Calls[i]}");
        }

        text.Append(CultureInfo.InvariantCulture, $"# all {Calls.Count} calls: {total:F4} ms");
        return text.ToString();
    }

    internal void Add(int call, double milliseconds) => _milliseconds[call] += milliseconds;

    internal void EndReplay() => Replays++;
}
