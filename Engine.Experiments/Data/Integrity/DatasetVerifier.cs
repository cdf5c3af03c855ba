namespace Engine.Experiments.Data.Integrity;

/// <summary>
/// Checks every file of a dataset folder against the SHA-256s recorded in its <see cref="DatasetInfo"/>
/// before it is first used, so a truncated, damaged or different file fails loudly instead of
/// training on wrong data. Hashes are cached by path, size and mtime (<see cref="ChecksumCache"/>).
/// </summary>
public sealed class DatasetVerifier(ChecksumCache cache)
{
    private static readonly Lazy<DatasetVerifier> Shared = new(() => new DatasetVerifier(new ChecksumCache(ChecksumCache.DefaultFile())));

    /// <summary>The verifier console runs use: cache in the user's cache folder.</summary>
    public static DatasetVerifier Default => Shared.Value;

    public ChecksumCache Cache { get; } = cache;

    /// <summary>
    /// Verifies each required file found in <paramref name="folder"/>; returns one entry per file
    /// (none when the dataset records no checksums). Throws <see cref="InvalidDataException"/> naming
    /// the file, the expected and the found SHA-256 on a mismatch.
    /// </summary>
    public IReadOnlyList<FileCheck> Verify(DatasetInfo dataset, string folder)
    {
        if (dataset.Checksums is not { Count: > 0 } table)
        {
            return [];
        }

        var checks = new List<FileCheck>();
        foreach (var names in dataset.RequiredFiles)
        {
            var path = dataset.Require(folder, names);
            var name = Path.GetFileName(path);
            if (!table.TryGetValue(name, out var accepted))
            {
                throw new InvalidDataException($"{path}: no SHA-256 is recorded for a file named {name} in dataset '{dataset.Name}' (names with checksums: {string.Join(", ", table.Keys)}).");
            }

            var found = Cache.Hash(path, out var fromCache);
            if (!accepted.Contains(found, StringComparer.OrdinalIgnoreCase))
            {
                var expected = accepted.Length == 1 ? accepted[0] : "one of " + string.Join(", ", accepted);
                throw new InvalidDataException(
                    $"{path}: SHA-256 mismatch for dataset '{dataset.Name}': expected {expected}, found {found} ({new FileInfo(path).Length} bytes). "
                    + $"The file is truncated, damaged or a different version; replace it. {dataset.HowToObtain}");
            }

            checks.Add(new FileCheck(path, found, fromCache));
        }

        return checks;
    }
}
