using Engine.Experiments.Data.Integrity;

namespace Engine.Experiments.Data;

/// <summary>
/// Where datasets are looked for, in order: the <c>--data</c> flag, the <c>ENGINE_DATA</c>
/// environment variable, <c>../shared/datasets</c> beside the repository root (the folder holding
/// Engine.sln, found by walking up from the executable and from the current directory), and
/// <c>/usr/share/datasets</c>. A dataset named n is found in root r as <c>r/n</c>, or as r itself
/// when r directly holds its files (so <c>--data path/to/mnist</c> also works). The first root
/// that has it wins. <see cref="Find"/> also verifies the files' SHA-256s before they are first
/// used (<see cref="DatasetVerifier"/>); <see cref="TryFind"/> only looks.
/// </summary>
public sealed class DataDirectory
{
    public const string EnvironmentVariable = "ENGINE_DATA";

    public const string SystemDirectory = "/usr/share/datasets";

    /// <param name="flag">Value of <c>--data</c>, or null.</param>
    /// <param name="environment">Value of <c>ENGINE_DATA</c>, or null.</param>
    /// <param name="startDirectories">Folders to walk up from to find the repository root.</param>
    /// <param name="systemDirectory">The last resort (a parameter so tests can point it elsewhere).</param>
    /// <param name="verifier">Checks files before use; null = <see cref="DatasetVerifier.Default"/> (hash cache in the user's cache folder).</param>
    public DataDirectory(string? flag, string? environment, IEnumerable<string> startDirectories, string systemDirectory = SystemDirectory, DatasetVerifier? verifier = null)
    {
        _verifier = verifier;
        var roots = new List<DataRoot>();
        Add(roots, flag, "--data");
        Add(roots, environment, EnvironmentVariable);
        if (RepositoryRoot.Find(startDirectories) is { } repo)
        {
            Add(roots, Path.Combine(Path.GetDirectoryName(repo) ?? repo, "shared", "datasets"), "beside the repository");
        }

        Add(roots, systemDirectory, "system default");
        Roots = roots;
    }

    private readonly DatasetVerifier? _verifier;

    /// <summary>The places searched, in priority order, without duplicates.</summary>
    public IReadOnlyList<DataRoot> Roots { get; }

    /// <summary>The resolver a console run uses: the flag, the real environment and the real start folders.</summary>
    public static DataDirectory FromEnvironment(string? flag) =>
        new(flag, Environment.GetEnvironmentVariable(EnvironmentVariable), [AppContext.BaseDirectory, Directory.GetCurrentDirectory()]);

    /// <summary>The folder holding <paramref name="dataset"/>, or null when no root has it.</summary>
    public string? TryFind(DatasetInfo dataset)
    {
        foreach (var root in Roots)
        {
            foreach (var folder in (string[])[Path.Combine(root.Path, dataset.Name), root.Path])
            {
                if (Directory.Exists(folder) && dataset.IsPresentIn(folder))
                {
                    return folder;
                }
            }
        }

        return null;
    }

    public DatasetVerifier Verifier => _verifier ?? DatasetVerifier.Default;

    /// <summary>
    /// The folder holding <paramref name="dataset"/>, its files verified against their recorded
    /// SHA-256s. Throws <see cref="DatasetNotFoundException"/> naming every place searched when it
    /// is nowhere, and <see cref="InvalidDataException"/> naming the file when a checksum differs.
    /// </summary>
    public string Find(DatasetInfo dataset)
    {
        var folder = TryFind(dataset) ?? throw new DatasetNotFoundException(DescribeMissing(dataset));
        Verifier.Verify(dataset, folder);
        return folder;
    }

    public string DescribeMissing(DatasetInfo dataset)
    {
        var places = string.Join("; ", Roots.Select(r => $"{Path.Combine(r.Path, dataset.Name)} ({r.Origin})"));
        return $"dataset '{dataset.Name}' not found. Searched: {places}. It needs: {dataset.DescribeFiles()}. "
            + $"To obtain it: {dataset.HowToObtain} Then pass --data DIR or set {EnvironmentVariable}=DIR, where DIR/{dataset.Name}/ holds the files.";
    }

    private static void Add(List<DataRoot> roots, string? path, string origin)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return;
        }

        var full = Path.GetFullPath(path);
        if (!roots.Any(r => r.Path == full))
        {
            roots.Add(new DataRoot(full, origin));
        }
    }
}
