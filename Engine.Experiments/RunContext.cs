using Engine.Core;
using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>Everything one experiment run needs from the console: seed, preset, where data is, where results go, a log, and how to checkpoint.</summary>
public sealed class RunContext(ulong seed, Preset preset, DataDirectory data, string outDirectory, ProgressLog log)
{
    public ulong Seed { get; } = seed;

    public Preset Preset { get; } = preset;

    public DataDirectory Data { get; } = data;

    /// <summary>This run's own results folder (<c>&lt;out&gt;/&lt;id&gt;</c>, or <c>…/seed-&lt;n&gt;</c> with --seeds), already created.</summary>
    public string OutDirectory { get; } = outDirectory;

    public ProgressLog Log { get; } = log;

    /// <summary>The experiment id (recorded in checkpoints so a resume cannot pick up another run's state).</summary>
    public string Id { get; init; } = "";

    /// <summary>Continue from the checkpoint in <see cref="OutDirectory"/> if there is one (--resume).</summary>
    public bool Resume { get; init; }

    /// <summary>Wall time between mid-epoch checkpoints; checkpoints are also written at every epoch end.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Signalled by Ctrl-C or SIGTERM: training writes a checkpoint at the next step boundary and stops.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>The root generator; experiments fork named streams from it (init, data order, noise…).</summary>
    public Rng CreateRng() => new(Seed);
}
