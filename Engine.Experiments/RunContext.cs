using Engine.Core;
using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>Everything one experiment run needs from the console: seed, preset, where data is, where results go, a log.</summary>
public sealed class RunContext(ulong seed, Preset preset, DataDirectory data, string outDirectory, ProgressLog log)
{
    public ulong Seed { get; } = seed;

    public Preset Preset { get; } = preset;

    public DataDirectory Data { get; } = data;

    /// <summary>This experiment's own results folder (<c>&lt;out&gt;/&lt;id&gt;</c>), already created.</summary>
    public string OutDirectory { get; } = outDirectory;

    public ProgressLog Log { get; } = log;

    /// <summary>The root generator; experiments fork named streams from it (init, data order, noise…).</summary>
    public Rng CreateRng() => new(Seed);
}
