using Engine.Experiments.Data;

namespace Engine.Experiments;

/// <summary>How `run` runs each matched experiment: preset, seeds, where data is and results go, and checkpointing.</summary>
public sealed record RunOptions(Preset Preset, IReadOnlyList<ulong> Seeds, DataDirectory Data, string OutRoot)
{
    /// <summary>Each seed writes <c>&lt;out&gt;/&lt;id&gt;/seed-&lt;n&gt;/</c> (--seeds) instead of <c>&lt;out&gt;/&lt;id&gt;/</c> (--seed).</summary>
    public bool SeedFolders { get; init; }

    public bool Resume { get; init; }

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The results folder of one (experiment, seed).</summary>
    public string Folder(string id, ulong seed)
    {
        var folder = Path.Combine(OutRoot, id.Replace('/', Path.DirectorySeparatorChar));
        return Path.GetFullPath(SeedFolders ? Path.Combine(folder, $"seed-{seed}") : folder);
    }
}
